import { generateWorld } from '@simpul/synthetic-data';
import { postGraphQL, startStack, TEST_PURPOSE, type Stack } from '@simpul/testing';

// The gateway appends each request's read records itself (AUDIT_URL), once for every subgraph:
// the whole stack as separate processes, with identity, signed contexts and the audit log on.
const WORLD = { citizens: 60, seed: 20250211 };
const world = generateWorld(WORLD);

const PROFILE = /* GraphQL */ `
  query ($nik: String!) {
    citizen(nik: $nik) {
      fullName
      npwp
      businesses { nib name }
      passports { number }
      drivingLicences { number }
      marriages { registeredAt }
      applications { id }
    }
  }
`;

interface LogRecord {
  chain: number;
  sequence: string;
  service: string;
  client: string;
  purpose: string | null;
  kind: string;
  correlationId: string;
}

describe('one audit append per gateway request', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({ citizens: WORLD.citizens, seed: WORLD.seed, logLevel: 'warn', participants: false });
  });
  afterAll(() => stack?.stop());

  async function accessLogOf(nik: string): Promise<LogRecord[]> {
    const response = await postGraphQL<{ dataAccessLog: { records: LogRecord[] } }>(
      `${stack.gatewayUrl}`,
      'query ($nik: String!) { dataAccessLog(nik: $nik, first: 100) { records { chain sequence service client purpose kind correlationId } } }',
      { nik },
      await stack.authHeaders('auditor', 'legal-basis:AUDIT_OVERSIGHT'),
    );
    if (!response.data) throw new Error(`dataAccessLog failed: ${JSON.stringify(response.errors)}`);
    return response.data.dataAccessLog.records;
  }

  it('records what every subgraph returned, naming the officer and the purpose, as one consecutive block of one chain', async () => {
    const sample = world.samples[0]!;
    const correlationId = `profile-${Date.now().toString(36)}`;
    const response = await postGraphQL(stack.gatewayUrl, PROFILE, { nik: sample.nik }, { ...(await stack.authHeaders('petugas')), 'x-correlation-id': correlationId });
    expect(response.errors).toBeUndefined();
    expect(response.data?.citizen).toMatchObject({ fullName: expect.any(String) });
    // The records travelled inside the subgraphs' responses; none of that reaches the client.
    expect(JSON.stringify(response)).not.toContain('simpulAudit');

    const records = (await accessLogOf(sample.nik)).filter((record) => record.correlationId === correlationId);
    const services = [...new Set(records.map((record) => record.service))].sort();
    expect(services).toEqual(expect.arrayContaining(['dukcapil', 'immigration', 'licensing', 'police', 'religious-affairs', 'tax']));
    for (const record of records) expect(record).toMatchObject({ client: 'mpp-console', purpose: TEST_PURPOSE, kind: 'READ' });
    // One append: every record of the request in the same chain, with consecutive sequence numbers.
    expect(new Set(records.map((record) => record.chain)).size).toBe(1);
    const sequences = records.map((record) => Number(record.sequence)).sort((a, b) => a - b);
    expect(sequences).toEqual(sequences.map((_, i) => sequences[0]! + i));
  });

  it('gives no data at all while the audit log cannot record the request, and serves again once it can', async () => {
    const sample = world.samples[1]!;
    const headers = await stack.authHeaders('petugas');
    const audit = stack.subgraphs.audit;
    await audit.stop();
    try {
      const refused = await postGraphQL(stack.gatewayUrl, PROFILE, { nik: sample.nik }, headers);
      expect(refused.data ?? null).toBeNull();
      expect(refused.errors?.map((error) => error.extensions?.code)).toEqual(['AUDIT_UNAVAILABLE']);
      const citizen = world.citizens.find((c) => c.nik === sample.nik)!;
      expect(JSON.stringify(refused)).not.toContain(citizen.fullName);
    } finally {
      await audit.start();
    }
    const served = await postGraphQL(stack.gatewayUrl, PROFILE, { nik: sample.nik }, headers);
    expect(served.errors).toBeUndefined();
    expect(served.data?.citizen).toMatchObject({ fullName: expect.any(String) });
  });
});
