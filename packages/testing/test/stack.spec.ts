import { existsSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SUBGRAPHS } from '@simpul/service-kit';
import { postGraphQL } from '../src/graphql-client';
import { startKafkaMockCluster, type KafkaMockCluster } from '../src/kafka-mock-cluster';
import { EXAMPLE_PARTICIPANTS, runningStackProcessIds, startStack, type Stack } from '../src/stack';

// Runs the built event broker, services and gateway (npm run build first) on the test Postgres server.
const CITIZEN = 'query ($nik: String!) { citizen(nik: $nik) { nik fullName } }';
const SERVICE_CATALOG = '{ serviceCatalog { code } }';

/** The applications service's consumer of task status reports: it joins its group on the broker at start. */
const TASK_STATUS_GROUP = 'applications.task-status';

async function groupGeneration(eventsUrl: string, group: string): Promise<number> {
  const response = await fetch(`${eventsUrl}/v1/groups/${encodeURIComponent(group)}/offsets?topic=mpp.task.status.v1`);
  return ((await response.json()) as { generation: number }).generation;
}

/** The temp data directories of the broker listening on `port` (the harness names them after it). */
const brokerDataDirs = (port: number) => readdirSync(tmpdir()).filter((entry) => entry.startsWith(`simpul-stack-events-${port}-`));

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

  it('runs the event broker, every subgraph and one gateway, each as its own process', () => {
    expect(Object.keys(stack.subgraphs).sort()).toEqual(SUBGRAPHS.map((s) => s.name).sort());
    expect(new Set(Object.values(stack.subgraphs).map((s) => s.port)).size).toBe(SUBGRAPHS.length);
    // broker, identity provider, subgraphs, gateway, example participants
    expect(pids).toHaveLength(SUBGRAPHS.length + 3 + EXAMPLE_PARTICIPANTS.length);
    expect(stack.world).toEqual({ citizens: 12, seed: 20171006 });
    expect(stack.broker?.running).toBe(true);
    expect(stack.eventsUrl).toBe(`http://127.0.0.1:${stack.broker?.port}`);
  });

  it('connects the services to its broker', async () => {
    expect((await fetch(`${stack.eventsUrl}/healthz`)).status).toBe(200);
    // The applications service subscribed through EVENTS_URL while it started.
    expect(await groupGeneration(stack.eventsUrl!, TASK_STATUS_GROUP)).toBeGreaterThanOrEqual(1);
  });

  it('routes through the gateway to the subgraphs', async () => {
    const malformed = await postGraphQL(stack.gatewayUrl, CITIZEN, { nik: '123' }, await stack.authHeaders());
    expect(malformed.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', serviceName: 'dukcapil' });
  });

  it('runs the identity provider, and the gateway takes only its tokens', async () => {
    expect(stack.identity?.issuer).toBe(`http://127.0.0.1:${stack.identity?.port}/realms/simpul`);
    const anonymous = await postGraphQL(stack.gatewayUrl, CITIZEN, { nik: '123' });
    expect(anonymous.status).toBe(401);
    expect(anonymous.errors?.[0]?.extensions).toMatchObject({ code: 'UNAUTHENTICATED' });
    // A service account (an agency's confidential client) is let in as well as the counter officer.
    const agency = await postGraphQL(stack.gatewayUrl, CITIZEN, { nik: '123' }, await stack.authHeaders('agency-religious-affairs'));
    expect(agency.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT' });
  });

  it('stops and restarts one subgraph on the same port', async () => {
    const dukcapil = stack.subgraphs.dukcapil;
    const port = dukcapil.port;
    await dukcapil.stop();
    expect(dukcapil.running).toBe(false);
    const down = await postGraphQL(stack.gatewayUrl, CITIZEN, { nik: '123' }, await stack.authHeaders());
    expect(down.errors?.[0]?.extensions).toMatchObject({ code: 'SUBGRAPH_UNAVAILABLE', serviceName: 'dukcapil' });

    await dukcapil.start();
    expect(dukcapil.port).toBe(port);
    const back = await postGraphQL(stack.gatewayUrl, CITIZEN, { nik: '123' }, await stack.authHeaders());
    expect(back.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT' });
  }, 60_000);

  it('restarts the broker on the same port with its data', async () => {
    const broker = stack.broker!;
    const generation = await groupGeneration(stack.eventsUrl!, TASK_STATUS_GROUP);
    await broker.stop();
    expect(broker.running).toBe(false);
    await expect(fetch(`${stack.eventsUrl}/healthz`)).rejects.toThrow();
    await broker.start();
    expect(await groupGeneration(stack.eventsUrl!, TASK_STATUS_GROUP)).toBeGreaterThanOrEqual(generation);
  }, 60_000);

  it('leaves no process nor broker data behind after stop()', async () => {
    // The restarted processes have new pids: check the ones seen at start and the current ones.
    const seen = [...pids, ...runningStackProcessIds()];
    const [dataDir] = brokerDataDirs(stack.broker!.port);
    expect(dataDir).toBeDefined();
    await stack.stop();
    expect(runningStackProcessIds()).toEqual([]);
    expect(seen.filter(isAlive)).toEqual([]);
    expect(existsSync(join(tmpdir(), dataDir!))).toBe(false);
  }, 60_000);
});

describe('startStack on Kafka', () => {
  let cluster: KafkaMockCluster;
  let stack: Stack;

  beforeAll(async () => {
    cluster = await startKafkaMockCluster({ brokers: 1 });
    stack = await startStack({ citizens: 12, engine: 'postgres', logLevel: 'warn', events: { kafkaBrokers: cluster.brokers } });
  }, 180_000);

  afterAll(async () => {
    await stack?.stop();
    await cluster?.stop();
  }, 60_000);

  it('passes the cluster to the services and runs no embedded broker', async () => {
    expect(stack.broker).toBeUndefined();
    expect(stack.eventsUrl).toBeUndefined();
    // Every process still up; one that exited is named with its last lines (a crash on the cluster).
    const processes = [stack.gateway, stack.identity!, ...Object.values(stack.subgraphs), ...Object.values(stack.participants)];
    expect(processes.filter((p) => !p.running).map((p) => `${p.name}:\n${p.logs().slice(-30).join('\n')}`)).toEqual([]);
    expect(runningStackProcessIds()).toHaveLength(SUBGRAPHS.length + 2 + EXAMPLE_PARTICIPANTS.length);
    // Applications cannot start without a transport: it answering through the gateway means it took KAFKA_BROKERS.
    const catalogue = await postGraphQL<{ serviceCatalog: { code: string }[] }>(stack.gatewayUrl, SERVICE_CATALOG, {}, await stack.authHeaders());
    expect(catalogue.errors).toBeUndefined();
    expect(catalogue.data?.serviceCatalog.map((t) => t.code)).toContain('BUSINESS_START');
  });
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
