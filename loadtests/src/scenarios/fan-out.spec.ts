import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Stack, StackProcess } from '@simpul/testing';
import { describeStuckApplications } from './fan-out';

function fakeProcess(name: string, lines: string[], running = true): StackProcess {
  return {
    name,
    url: `http://127.0.0.1:1/${name}`,
    port: 1,
    running,
    pid: undefined,
    start: async () => undefined,
    stop: async () => undefined,
    kill: () => undefined,
    logs: () => lines,
  };
}

describe('describeStuckApplications', () => {
  let gateway: Server;
  let gatewayUrl: string;
  const applications: Record<string, unknown> = {
    stuck: {
      status: 'IN_PROGRESS',
      tasks: [
        { participant: 'licensing', status: 'APPROVED', reason: null },
        { participant: 'tax', status: 'APPROVED', reason: null },
        { participant: 'bank-bpd', status: 'REJECTED', reason: 'already holds an account' },
        { participant: 'pln', status: 'ASSIGNED', reason: null },
      ],
    },
  };

  beforeAll(async () => {
    gateway = createServer((request, response) => {
      let body = '';
      request.on('data', (chunk: Buffer) => (body += chunk.toString()));
      request.on('end', () => {
        const { variables } = JSON.parse(body) as { variables: { id: string } };
        const application = applications[variables.id];
        const answer = application ? { data: { application } } : { data: { application: null }, errors: [{ message: 'unknown application' }] };
        response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(answer));
      });
    });
    await new Promise<void>((resolve) => gateway.listen(0, '127.0.0.1', resolve));
    gatewayUrl = `http://127.0.0.1:${(gateway.address() as AddressInfo).port}/graphql`;
  });

  afterAll(async () => {
    gateway.closeAllConnections();
    await new Promise((resolve) => gateway.close(resolve));
  });

  it('says where each application stands and shows the logs of the participants that have not answered', async () => {
    const stack = {
      gatewayUrl,
      subgraphs: { licensing: fakeProcess('licensing', ['licensing fine']) },
      participants: { pln: fakeProcess('pln', ['consumer joined', 'ECONNREFUSED 127.0.0.1:4011'], false), 'bank-bpd': fakeProcess('bank-bpd', ['bank log']) },
    } as unknown as Stack;

    const description = await describeStuckApplications(stack, ['stuck', 'missing']);

    expect(description).toContain(
      '- stuck: IN_PROGRESS; licensing APPROVED, tax APPROVED, bank-bpd REJECTED (already holds an account), pln ASSIGNED',
    );
    expect(description).toContain('- missing: the gateway does not answer (unknown application)');
    expect(description).toContain('last 2 log lines of pln (not running):\nconsumer joined\nECONNREFUSED 127.0.0.1:4011');
    // Only the participants whose tasks are still open: the others' logs would hide the cause.
    expect(description).not.toContain('bank log');
    expect(description).not.toContain('licensing fine');
  });
});
