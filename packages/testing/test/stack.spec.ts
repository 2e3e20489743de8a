import { SUBGRAPHS } from '@simpul/service-kit';
import { postGraphQL } from '../src/graphql-client';
import { runningStackProcessIds, startStack, type Stack } from '../src/stack';

// Runs the built services and gateway (npm run build first) on the test Postgres server.
const CITIZEN = 'query ($nik: String!) { citizen(nik: $nik) { nik fullName } }';

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe('startStack', () => {
  let stack: Stack;
  let pids: number[];

  beforeAll(async () => {
    stack = await startStack({ citizens: 12, engine: 'postgres', logLevel: 'warn' });
    pids = runningStackProcessIds();
  }, 180_000);

  afterAll(async () => {
    await stack?.stop();
  }, 60_000);

  it('runs every subgraph and one gateway, each as its own process', () => {
    expect(Object.keys(stack.subgraphs).sort()).toEqual(SUBGRAPHS.map((s) => s.name).sort());
    expect(new Set(Object.values(stack.subgraphs).map((s) => s.port)).size).toBe(SUBGRAPHS.length);
    expect(pids).toHaveLength(SUBGRAPHS.length + 1);
    expect(stack.world).toEqual({ citizens: 12, seed: 20171006 });
  });

  it('routes through the gateway to the subgraphs', async () => {
    const malformed = await postGraphQL(stack.gatewayUrl, CITIZEN, { nik: '123' });
    expect(malformed.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', serviceName: 'dukcapil' });
  });

  it('stops and restarts one subgraph on the same port', async () => {
    const dukcapil = stack.subgraphs.dukcapil;
    const port = dukcapil.port;
    await dukcapil.stop();
    expect(dukcapil.running).toBe(false);
    const down = await postGraphQL(stack.gatewayUrl, CITIZEN, { nik: '123' });
    expect(down.errors?.[0]?.extensions).toMatchObject({ code: 'SUBGRAPH_UNAVAILABLE', serviceName: 'dukcapil' });

    await dukcapil.start();
    expect(dukcapil.port).toBe(port);
    const back = await postGraphQL(stack.gatewayUrl, CITIZEN, { nik: '123' });
    expect(back.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT' });
  }, 60_000);

  it('leaves no process behind after stop()', async () => {
    // The restarted dukcapil has a new pid: check the ones seen at start and the current ones.
    const seen = [...pids, ...runningStackProcessIds()];
    await stack.stop();
    expect(runningStackProcessIds()).toEqual([]);
    expect(seen.filter(isAlive)).toEqual([]);
  }, 60_000);
});

describe('startStack failing to start', () => {
  it('throws with the last log lines of the failing process and stops the others', async () => {
    const started = startStack({
      citizens: 12,
      engine: 'postgres',
      logLevel: 'warn',
      gatewayEnv: { SUBGRAPH_TIMEOUT_MS: 'soon' },
    });
    await expect(started).rejects.toThrow(/gateway exited with code 1 before it was ready[\s\S]*last \d+ log lines of gateway[\s\S]*SUBGRAPH_TIMEOUT_MS/);
    expect(runningStackProcessIds()).toEqual([]);
  }, 180_000);
});
