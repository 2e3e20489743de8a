import { citizenVerificationBodies, VERIFY_CITIZEN_QUERY } from './citizen-verification';

const citizens = [
  { nik: '3510000000000001', fullName: 'Ni Luh Putu Ayu', birthDate: '1990-05-10' },
  { nik: '3510000000000002', fullName: 'Made Wirawan', birthDate: '1985-01-02' },
  { nik: '3510000000000003', fullName: 'Ketut Sari', birthDate: '2001-12-31' },
];
const world = { seed: 7, citizens } as unknown as Parameters<typeof citizenVerificationBodies>[0];

describe('citizenVerificationBodies', () => {
  it('claims each citizen’s own registered name and birth date, once each, in a reproducible order', () => {
    const bodies = citizenVerificationBodies(world).map((body) => JSON.parse(body) as { query: string; variables: unknown });
    expect(bodies.every((body) => body.query === VERIFY_CITIZEN_QUERY)).toBe(true);
    expect(bodies.map((body) => body.variables)).toEqual(
      expect.arrayContaining(citizens.map(({ nik, fullName, birthDate }) => ({ nik, claims: { fullName, birthDate } }))),
    );
    expect(bodies).toHaveLength(3);
    expect(citizenVerificationBodies(world)).toEqual(citizenVerificationBodies(world));
  });
});
