import { createLogger, listen, type RunningHttpServer } from '@simpul/service-kit';
import { postGraphQL } from '@simpul/testing';
import { startCountingSubgraph, type CountingSubgraph } from '../../test/support/counting-subgraph';
import { createTestKey, TestIdentityProvider, type TestKey } from '@simpul/service-kit/testing';
import type { GatewayContext } from '../context';
import { createGateway, type Gateway } from '../gateway';
import { createGatewayAuth, type GatewayAuth } from './gateway-auth';

const logger = createLogger('gateway-auth-test', 'silent');
let idp: TestIdentityProvider;
let key: TestKey;
let subgraph: CountingSubgraph;
let auth: GatewayAuth;
let gateway: Gateway;
let http: RunningHttpServer;

beforeAll(async () => {
  key = await createTestKey('key-1');
  idp = await TestIdentityProvider.start();
  idp.publish('simpul', [key]);
  subgraph = await startCountingSubgraph(logger);
  auth = createGatewayAuth({
    settings: { issuer: idp.issuer(), audience: 'simpul-gateway', algorithms: ['RS256'], clockToleranceSeconds: 30 },
    logger,
  });
  await auth.verifier.whenReady();
  gateway = await createGateway({ supergraphSdl: subgraph.supergraphSdl, subgraphs: {}, defaultTimeoutMs: 2000, logger, auth });
  http = await listen(gateway.handler);
});

afterAll(async () => {
  await http?.close();
  await gateway?.stop();
  auth?.stop();
  await subgraph?.stop();
  await idp?.stop();
});

describe('gateway authentication', () => {
  it('puts the Principal of the verified token on the request context', async () => {
    const source = gateway.dataSources.get('applications')!;
    const spy = jest.spyOn(source, 'willSendRequest');
    try {
      const token = await idp.mint(key, {
        sub: 'citizen-7',
        azp: 'mpp-console',
        preferred_username: 'warga',
        realm_access: { roles: ['citizen'] },
        nik: '3510014101900001',
      });
      const response = await postGraphQL(http.url, '{ ping }', undefined, { authorization: `Bearer ${token}` });
      expect(response).toMatchObject({ status: 200, data: { ping: 'pong' } });
      expect(spy.mock.calls.map(([options]) => (options.context as GatewayContext).principal)).toEqual([
        { subject: 'citizen-7', client: 'mpp-console', actorType: 'user', roles: ['citizen'], nik: '3510014101900001', username: 'warga' },
      ]);
    } finally {
      spy.mockRestore();
    }
  });

  it('leaves /healthz, /readyz and the HMAC-signed /participants reports to their own checks', async () => {
    expect((await fetch(new URL('/healthz', http.url))).status).toBe(200);
    expect((await fetch(new URL('/readyz', http.url))).status).toBe(200);
    const before = subgraph.calls;
    const report = await fetch(new URL('/participants/bank-bpd/task-status', http.url), { method: 'POST', body: '{}' });
    expect(report.status).not.toBe(401);
    expect(subgraph.calls).toBe(before + 1);
  });

  it('protects every /live stream path, known or not', async () => {
    const response = await fetch(new URL('/live/anything', http.url));
    expect(response.status).toBe(401);
  });
});
