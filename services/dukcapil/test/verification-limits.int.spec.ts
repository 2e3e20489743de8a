import { auditNikHash, createLogger, serveSubgraph } from '@simpul/service-kit';
import { generateWorld } from '@simpul/synthetic-data';
import { postGraphQL, recordingAuditLog, startSecuredSubgraphOnPostgres, type SecuredSubgraphOnPostgres } from '@simpul/testing';
import { createDukcapilSubgraph, dukcapilService } from '../src/app';
import type { DukcapilSchema } from '../src/db/schema';
import { verificationFailures } from '../src/db/schema';
import type { VerificationLimits } from '../src/modules/verification/verification-limits';

// verifyCitizen answers partners yes/no per claim; a partner guessing a value one answer at a time is
// stopped by counting its wrong answers in Dukcapil's database (shared by every replica).
const WORLD = { citizens: 60, seed: 11 };
const world = generateWorld(WORLD);
const PEPPER = 'verification-limits-spec-pepper';
const LIMITS: VerificationLimits = { failedClaimsPerNik: 3, nikWindowDays: 30, failedClaimsPerClientPerDay: 4, clientQuotas: new Map([['bank-with-quota', 6]]) };
const auditLog = recordingAuditLog();
const subgraphOf = (deps: Parameters<typeof createDukcapilSubgraph>[0]) =>
  createDukcapilSubgraph({ ...deps, audit: { sink: auditLog, nikHashPepper: PEPPER }, verificationLimits: LIMITS });

let dukcapil: SecuredSubgraphOnPostgres<DukcapilSchema>;

beforeAll(async () => {
  dukcapil = await startSecuredSubgraphOnPostgres({ ...dukcapilService, createSubgraph: subgraphOf }, WORLD);
});

afterAll(async () => {
  await dukcapil?.stop();
});

const VERIFY = /* GraphQL */ `
  query ($nik: String!, $claims: CitizenClaimsInput!) {
    verifyCitizen(nik: $nik, claims: $claims) { registered fullNameMatches birthDateMatches birthPlaceMatches }
  }
`;
const bank = (client: string) => ({ roles: ['participant:bank-bpd'], client, actorType: 'client' as const, purpose: 'legal-basis:CONTRACT_PERFORMANCE' });
/** Each test its own citizens, so their counts never meet. */
const citizens = [...world.citizens];
const aCitizen = () => citizens.shift()!;

async function verify(url: string, client: string, nik: string, claims: Record<string, string>) {
  return postGraphQL<{ verifyCitizen: Record<string, boolean | null> }>(url, VERIFY, { nik, claims }, await dukcapil.headersFor(bank(client)));
}
const refusal = (response: Awaited<ReturnType<typeof verify>>) => response.errors?.map((error) => error.extensions);

describe('verifyCitizen limits', () => {
  it('stops a bank guessing a birthplace after 3 wrong answers about that NIK; other NIKs and other clients are still answered', async () => {
    const target = aCitizen();
    for (const guess of ['Atlantis', 'Lemuria', 'Mu']) {
      const wrong = await verify(dukcapil.url, 'bank-guessing', target.nik, { birthPlace: guess });
      expect(wrong.data?.verifyCitizen).toMatchObject({ registered: true, birthPlaceMatches: false });
    }
    // The right guess now gets no answer at all.
    const right = await verify(dukcapil.url, 'bank-guessing', target.nik, { birthPlace: target.birthPlace });
    expect(right.data).toBeNull();
    expect(refusal(right)).toEqual([expect.objectContaining({ code: 'FORBIDDEN', rule: 'VERIFICATION_LIMIT', limit: 'PER_NIK' })]);

    const other = aCitizen();
    expect((await verify(dukcapil.url, 'bank-guessing', other.nik, { birthPlace: other.birthPlace })).data?.verifyCitizen).toMatchObject({ birthPlaceMatches: true });
    expect((await verify(dukcapil.url, 'another-bank', target.nik, { birthPlace: target.birthPlace })).data?.verifyCitizen).toMatchObject({ birthPlaceMatches: true });
  });

  it('counts every wrong claim and an unregistered NIK; right answers count nothing', async () => {
    const target = aCitizen();
    for (let i = 0; i < 5; i++) {
      const right = await verify(dukcapil.url, 'bank-counting', target.nik, { fullName: target.fullName, birthDate: target.birthDate });
      expect(right.data?.verifyCitizen).toMatchObject({ fullNameMatches: true, birthDateMatches: true });
    }
    // Two wrong claims in one request count two.
    const twoWrong = await verify(dukcapil.url, 'bank-counting', target.nik, { fullName: 'Someone Else', birthDate: '1901-01-01' });
    expect(twoWrong.data?.verifyCitizen).toMatchObject({ fullNameMatches: false, birthDateMatches: false });
    await verify(dukcapil.url, 'bank-counting', target.nik, { birthPlace: 'Atlantis' });
    expect(refusal(await verify(dukcapil.url, 'bank-counting', target.nik, { fullName: target.fullName }))).toEqual([
      expect.objectContaining({ rule: 'VERIFICATION_LIMIT', limit: 'PER_NIK' }),
    ]);

    const unregistered = '3510015005900001';
    for (let i = 0; i < 3; i++) expect((await verify(dukcapil.url, 'bank-probing', unregistered, {})).data?.verifyCitizen).toMatchObject({ registered: false });
    expect(refusal(await verify(dukcapil.url, 'bank-probing', unregistered, {}))).toEqual([expect.objectContaining({ rule: 'VERIFICATION_LIMIT' })]);
  });

  it("limits a client's wrong answers per day across NIKs, or to the quota Dukcapil gave it", async () => {
    const guessOnce = (client: string) => verify(dukcapil.url, client, aCitizen().nik, { birthPlace: 'Atlantis' });
    for (let i = 0; i < LIMITS.failedClaimsPerClientPerDay; i++) expect((await guessOnce('bank-daily')).data?.verifyCitizen).toMatchObject({ birthPlaceMatches: false });
    expect(refusal(await guessOnce('bank-daily'))).toEqual([expect.objectContaining({ code: 'FORBIDDEN', rule: 'VERIFICATION_LIMIT', limit: 'PER_CLIENT_PER_DAY' })]);

    for (let i = 0; i < LIMITS.clientQuotas.get('bank-with-quota')!; i++) expect((await guessOnce('bank-with-quota')).errors).toBeUndefined();
    expect(refusal(await guessOnce('bank-with-quota'))).toEqual([expect.objectContaining({ limit: 'PER_CLIENT_PER_DAY' })]);
  });

  it('holds across replicas and concurrent requests: the counts are in the database, checked and counted under one lock', async () => {
    const replica = await serveSubgraph(await subgraphOf({ db: dukcapil.db, logger: createLogger('dukcapil', 'silent'), internalContextPublicKey: dukcapil.keys.publicKey }), {});
    try {
      const target = aCitizen();
      const urls = [dukcapil.url, replica.url];
      const answers = await Promise.all(Array.from({ length: 10 }, (_, i) => verify(urls[i % 2]!, 'bank-parallel', target.nik, { birthPlace: `Nowhere ${i}` })));
      expect(answers.filter((answer) => answer.data?.verifyCitizen.birthPlaceMatches === false)).toHaveLength(LIMITS.failedClaimsPerNik);
      expect(answers.filter((answer) => refusal(answer)?.[0]?.rule === 'VERIFICATION_LIMIT')).toHaveLength(10 - LIMITS.failedClaimsPerNik);
    } finally {
      await replica.stop();
    }
    expect(await dukcapil.db.$count(verificationFailures)).toBeGreaterThan(0);
  });

  it('audits each check as a READ of the fields compared', async () => {
    const target = aCitizen();
    const before = auditLog.batches.length;
    await verify(dukcapil.url, 'bank-audited', target.nik, { fullName: target.fullName, birthPlace: 'Atlantis' });
    const records = auditLog.batches.slice(before).flatMap((batch) => batch.records).filter((record) => record.nikHash === auditNikHash(target.nik, PEPPER));
    expect(records).toEqual([expect.objectContaining({ kind: 'READ', client: 'bank-audited', purpose: 'legal-basis:CONTRACT_PERFORMANCE' })]);
    expect(records[0]!.fields).toEqual(expect.arrayContaining(['Citizen.nik', 'Citizen.fullName', 'Citizen.birthPlace']));
    expect(records[0]!.fields).not.toContain('Citizen.birthDate');
  });
});
