import { LEGAL_BASES, bindApplicationPurpose, parsePurpose, type ApplicationPurposeFacts } from './purpose';

describe('parsePurpose', () => {
  it('reads an application id, lower-cased', () => {
    expect(parsePurpose('application:0195F3A2-7C1D-7E4B-9A0B-1C2D3E4F5A6B')).toEqual({
      ok: true,
      purpose: { kind: 'application', applicationId: '0195f3a2-7c1d-7e4b-9a0b-1c2d3e4f5a6b', value: 'application:0195f3a2-7c1d-7e4b-9a0b-1c2d3e4f5a6b' },
    });
  });

  it('reads every listed legal basis', () => {
    for (const code of Object.keys(LEGAL_BASES)) {
      expect(parsePurpose(`legal-basis:${code}`)).toEqual({ ok: true, purpose: { kind: 'legal-basis', code, value: `legal-basis:${code}` } });
    }
    expect(Object.keys(LEGAL_BASES)).toEqual(expect.arrayContaining(['PUBLIC_SERVICE_DELIVERY', 'CITIZEN_OWN_DATA_REQUEST', 'AUDIT_OVERSIGHT', 'LEGAL_OBLIGATION']));
  });

  it('names the rule a bad purpose breaks', () => {
    expect(parsePurpose('application:42')).toMatchObject({ ok: false, rule: 'PURPOSE_APPLICATION_ID' });
    expect(parsePurpose('legal-basis:BECAUSE')).toMatchObject({ ok: false, rule: 'PURPOSE_LEGAL_BASIS', message: expect.stringContaining('PUBLIC_SERVICE_DELIVERY') });
    expect(parsePurpose('legal-basis:public_service_delivery')).toMatchObject({ ok: false, rule: 'PURPOSE_LEGAL_BASIS' });
    for (const value of ['', '   ', 'marketing', 'application', 'legal-basis', `legal-basis:${'X'.repeat(200)}`]) {
      expect(parsePurpose(value)).toMatchObject({ ok: false });
    }
    expect(parsePurpose('curiosity')).toMatchObject({ ok: false, rule: 'PURPOSE_FORMAT' });
  });
});

describe('bindApplicationPurpose', () => {
  const NOW = new Date('2026-03-01T08:00:00Z');
  const facts: ApplicationPurposeFacts = {
    id: '0193c4b2-7c1e-7d4a-9f3e-2b8c1d0e5f6a',
    status: 'IN_PROGRESS',
    closedAt: null,
    mppOffice: 'MPP Banyuwangi',
    parties: ['3510011501900001', '3510014101920002'],
    participants: ['religious-affairs', 'dukcapil'],
  };
  const bind = (claimant: Parameters<typeof bindApplicationPurpose>[1], overrides: Partial<ApplicationPurposeFacts> | null = {}) =>
    bindApplicationPurpose(overrides === null ? undefined : { ...facts, ...overrides }, claimant, { closedDays: 30, now: NOW });
  const officer = { actorType: 'user' as const, roles: ['officer'], mppOffice: 'mpp  banyuwangi' };

  it("binds an officer of its MPP office, a supervisor, a participant with a task in it and a party to the application's parties", () => {
    for (const claimant of [officer, { actorType: 'user' as const, roles: ['supervisor'] }, { actorType: 'client' as const, roles: ['agency:dukcapil', 'participant:dukcapil'] }, { actorType: 'user' as const, roles: ['citizen'], nik: '3510014101920002' }]) {
      expect(bind(claimant)).toEqual({ applicable: true, parties: facts.parties });
    }
  });

  it('binds nobody to an application that does not exist or closed too long ago, nor a caller without a part in it', () => {
    expect(bind(officer, null)).toEqual({ applicable: false, reason: 'no such application' });
    expect(bind(officer, { closedAt: '2026-01-15T00:00:00Z' })).toMatchObject({ applicable: false, reason: expect.stringMatching(/closed more than 30 days/) });
    expect(bind(officer, { closedAt: '2026-02-15T00:00:00Z' })).toMatchObject({ applicable: true });
    for (const claimant of [
      { actorType: 'client' as const, roles: ['participant:bank-bpd'] },
      { actorType: 'user' as const, roles: ['citizen'], nik: '3171010101800003' },
      { actorType: 'user' as const, roles: ['auditor'] },
      { actorType: 'client' as const, roles: ['integrator'] },
      { actorType: 'client' as const, roles: ['officer'] },
      // An officer of another MPP office, or one whose token names none.
      { actorType: 'user' as const, roles: ['officer'], mppOffice: 'MPP Siak' },
      { actorType: 'user' as const, roles: ['officer'] },
    ]) {
      expect(bind(claimant)).toEqual({ applicable: false, reason: 'the caller has no part in it' });
    }
  });
});
