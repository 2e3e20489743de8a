import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { runLoad } from '../src/load/load-run';

/**
 * A stand-in GraphQL endpoint: answers `citizen` for every NIK except the ones the test marks as
 * failing, and records which NIKs it was asked for.
 */
function fakeGateway(behaviour: Record<string, (response: ServerResponse) => void>) {
  const received: string[] = [];
  const server: Server = createServer((request, response) => {
    let body = '';
    request.setEncoding('utf8');
    request.on('data', (chunk: string) => (body += chunk));
    request.on('end', () => {
      const nik = (JSON.parse(body) as { variables: { nik: string } }).variables.nik;
      received.push(nik);
      const special = behaviour[nik];
      if (special) return special(response);
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ data: { citizen: { nik } } }));
    });
  });
  return { server, received };
}

function listen(server: Server): Promise<string> {
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`)),
  );
}

const bodyFor = (nik: string) => JSON.stringify({ query: 'query($nik: String!) { citizen(nik: $nik) { nik } }', variables: { nik } });

describe('runLoad', () => {
  let server: Server | undefined;
  afterEach(() => new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve())));

  it('rotates bodies over all connections and classifies every failure kind', async () => {
    const fake = fakeGateway({
      '0000000000000002': (response) => {
        response.writeHead(200, { 'content-type': 'application/json' });
        response.end(JSON.stringify({ data: { citizen: null }, errors: [{ message: 'licensing timed out' }] }));
      },
      '0000000000000003': (response) => {
        response.writeHead(200, { 'content-type': 'application/json' });
        response.end(JSON.stringify({ data: { citizen: null } }));
      },
      '0000000000000004': (response) => {
        response.writeHead(502, { 'content-type': 'text/plain' });
        response.end('bad gateway');
      },
    });
    server = fake.server;
    const url = await listen(server);
    const niks = ['0000000000000001', '0000000000000002', '0000000000000003', '0000000000000004', '0000000000000005'];

    const result = await runLoad({
      label: 'fake',
      url,
      bodies: niks.map(bodyFor),
      requiredDataFields: ['citizen'],
      connections: 4,
      durationSeconds: 1,
      timeoutSeconds: 5,
    });

    expect(result.responses).toBeGreaterThan(50);
    expect(new Set(fake.received)).toEqual(new Set(niks));
    // Each NIK is one fifth of the traffic, give or take the requests in flight when the run stopped.
    const perNik = fake.received.length / niks.length;
    expect(result.failures.graphqlErrors).toBeGreaterThan(perNik - 5);
    expect(result.failures.graphqlErrors).toBeLessThan(perNik + 5);
    expect(result.failures.missingData).toBeGreaterThan(perNik - 5);
    expect(result.failures.httpStatus).toBeGreaterThan(perNik - 5);
    expect(result.failures.invalidBody).toBe(0);
    expect(result.failedRequests).toBe(
      result.failures.graphqlErrors + result.failures.missingData + result.failures.httpStatus + result.failures.connectionErrors,
    );
    expect(result.failureSamples).toEqual(
      expect.arrayContaining([expect.stringContaining('licensing timed out'), '502 bad gateway']),
    );
    expect(result.requestsPerSecond).toBeCloseTo(result.responses / result.elapsedSeconds, 5);
    expect(result.latencyMs!.p50).toBeLessThanOrEqual(result.latencyMs!.p99);
    expect(result.latencyMs!.p99).toBeLessThanOrEqual(result.latencyMs!.max);
  });

  it('reports a clean run as zero failures', async () => {
    const fake = fakeGateway({});
    server = fake.server;
    const url = await listen(server);

    const result = await runLoad({
      label: 'clean',
      url,
      bodies: ['0000000000000001', '0000000000000002'].map(bodyFor),
      requiredDataFields: ['citizen'],
      connections: 2,
      durationSeconds: 1,
      timeoutSeconds: 5,
    });

    expect(result.responses).toBeGreaterThan(0);
    expect(result.failedRequests).toBe(0);
    expect(result.failureSamples).toEqual([]);
  });

  it('splits the connections over replicas and, with an expected status, judges by it alone', async () => {
    // Two "replicas" of a REST endpoint answering 201, except the second refuses every 5th request.
    const counts = [0, 0];
    const replicas = [0, 1].map((index) =>
      createServer((request, response) => {
        request.resume();
        request.on('end', () => {
          counts[index]! += 1;
          const refused = index === 1 && counts[index]! % 5 === 0;
          response.writeHead(refused ? 503 : 201, { 'content-type': 'application/json' });
          response.end(refused ? '{"error":{"code":"AUDIT_UNAVAILABLE"}}' : '{"appended":1}');
        });
      }),
    );
    const [first, second] = await Promise.all(replicas.map(listen));
    try {
      const result = await runLoad({
        label: 'replicas',
        url: first!,
        extraUrls: [second!],
        bodies: ['{"records":[]}'],
        requiredDataFields: ['never-checked'],
        expectedStatus: 201,
        connections: 4,
        durationSeconds: 1,
        timeoutSeconds: 5,
      });
      expect(counts[0]).toBeGreaterThan(0);
      expect(counts[1]).toBeGreaterThan(0);
      // Requests still in flight when the run ends reach the server but are not counted (at most one per connection).
      expect(result.responses).toBeLessThanOrEqual(counts[0]! + counts[1]!);
      expect(result.responses).toBeGreaterThanOrEqual(counts[0]! + counts[1]! - 4);
      expect(result.failures.httpStatus).toBeGreaterThanOrEqual(Math.floor(counts[1]! / 5) - 2);
      expect(result.failures.httpStatus).toBeLessThanOrEqual(Math.floor(counts[1]! / 5));
      expect(result.failedRequests).toBe(result.failures.httpStatus + result.failures.connectionErrors);
      expect(result.failures.graphqlErrors + result.failures.invalidBody + result.failures.missingData).toBe(0);
      expect(result.failureSamples).toEqual(['503 {"error":{"code":"AUDIT_UNAVAILABLE"}}']);
    } finally {
      await Promise.all(replicas.map((replica) => new Promise((resolve) => replica.close(resolve))));
    }
  });
});
