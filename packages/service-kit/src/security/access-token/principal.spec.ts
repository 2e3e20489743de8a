import type { JWTPayload } from 'jose';
import { principalFromClaims } from './principal';

const NIK = '3510014101900001';
const base: JWTPayload = { typ: 'Bearer', sub: 'f2b5c4c8-1', azp: 'mpp-console', realm_access: { roles: ['officer', 'supervisor'] }, preferred_username: 'supervisor' };

describe('principalFromClaims', () => {
  it('maps an officer user token', () => {
    expect(principalFromClaims(base)).toEqual({
      ok: true,
      principal: { subject: 'f2b5c4c8-1', client: 'mpp-console', actorType: 'user', roles: ['officer', 'supervisor'], username: 'supervisor' },
    });
  });

  it('keeps the NIK of a citizen', () => {
    const result = principalFromClaims({ ...base, preferred_username: 'warga', realm_access: { roles: ['citizen'] }, nik: NIK });
    expect(result).toMatchObject({ ok: true, principal: { actorType: 'user', roles: ['citizen'], nik: NIK } });
  });

  it("keeps an officer's MPP office, and refuses an empty one", () => {
    expect(principalFromClaims({ ...base, mpp_office: 'MPP Siak' })).toMatchObject({ ok: true, principal: { mppOffice: 'MPP Siak' } });
    expect(principalFromClaims({ ...base, mpp_office: ' ' })).toMatchObject({ ok: false, reason: 'INVALID_CLAIMS' });
  });

  it("recognises a client's service-account token by its service-account-<azp> username", () => {
    const result = principalFromClaims({
      typ: 'Bearer',
      sub: 'sa-1',
      azp: 'agency-dukcapil',
      preferred_username: 'service-account-agency-dukcapil',
      realm_access: { roles: ['agency:dukcapil', 'participant:dukcapil'] },
      nik: NIK,
    });
    expect(result).toEqual({
      ok: true,
      principal: {
        subject: 'sa-1',
        client: 'agency-dukcapil',
        actorType: 'client',
        roles: ['agency:dukcapil', 'participant:dukcapil'],
        username: 'service-account-agency-dukcapil',
      },
    });
  });

  it("treats a service-account username of another client as a user", () => {
    const result = principalFromClaims({ ...base, azp: 'mpp-console', preferred_username: 'service-account-agency-dukcapil' });
    expect(result).toMatchObject({ ok: true, principal: { actorType: 'user' } });
  });

  it('gives a token without realm roles no roles', () => {
    expect(principalFromClaims({ typ: 'Bearer', sub: 's', azp: 'c' })).toEqual({ ok: true, principal: { subject: 's', client: 'c', actorType: 'user', roles: [] } });
  });

  it.each([
    [{ ...base, typ: 'ID' }, 'WRONG_TOKEN_TYPE'],
    [{ ...base, typ: 'Refresh' }, 'WRONG_TOKEN_TYPE'],
    [{ ...base, typ: undefined }, 'WRONG_TOKEN_TYPE'],
    [{ ...base, azp: undefined }, 'INVALID_CLAIMS'],
    [{ ...base, azp: '' }, 'INVALID_CLAIMS'],
    [{ ...base, sub: undefined }, 'INVALID_CLAIMS'],
    [{ ...base, realm_access: { roles: 'admin' } }, 'INVALID_CLAIMS'],
    [{ ...base, realm_access: { roles: [1] } }, 'INVALID_CLAIMS'],
    [{ ...base, nik: '12345' }, 'INVALID_CLAIMS'],
    [{ ...base, preferred_username: 42 }, 'INVALID_CLAIMS'],
  ] as [JWTPayload, string][])('refuses %j with %s', (claims, reason) => {
    expect(principalFromClaims(claims)).toMatchObject({ ok: false, reason });
  });
});
