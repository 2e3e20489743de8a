import { HeaderMap } from '@apollo/server';
import { AUDIT_RESPONSE_EXTENSION, createInternalContextSigner, createLogger, generateInternalContextKeys, verifyInternalContext, type AuditAppendRequest, type AuditBatch } from '@simpul/service-kit';
import type { GatewayContext } from '../context';
import { requestAuditPlugin, takeSubgraphRecords } from './request-audit';

const RECORD = {
  actor: 'petugas',
  actorType: 'user' as const,
  client: 'mpp-console',
  roles: ['officer'],
  purpose: 'legal-basis:PUBLIC_SERVICE_DELIVERY',
  nikHash: 'ab'.repeat(32),
  fields: ['Citizen.fullName'],
  kind: 'READ' as const,
  correlationId: 'c-1',
  occurredAt: '2026-12-07T08:00:00.000Z',
};

describe('takeSubgraphRecords', () => {
  it('takes the records off the response, so they never reach the client', () => {
    const response: { data: object; extensions: Record<string, unknown> } = { data: {}, extensions: { [AUDIT_RESPONSE_EXTENSION]: { records: [RECORD] }, other: 1 } };
    expect(takeSubgraphRecords(response)).toEqual([RECORD]);
    expect(response.extensions).toEqual({ other: 1 });
    expect(takeSubgraphRecords({})).toBeUndefined();
  });

  it('refuses what is not a list of records (the fetch then fails: data that cannot be recorded is not used)', () => {
    for (const extension of ['nothing', null, { records: [] }, { records: ['x'] }, { records: RECORD }]) {
      expect(takeSubgraphRecords({ extensions: { [AUDIT_RESPONSE_EXTENSION]: extension } })).toBeInstanceOf(Error);
    }
  });
});

describe('requestAuditPlugin', () => {
  const logger = createLogger('request-audit-spec', 'silent');

  async function run(sink: { appendRequest(batches: AuditBatch[], request: AuditAppendRequest): Promise<void> }, batches: AuditBatch[]) {
    const keys = await generateInternalContextKeys();
    const plugin = requestAuditPlugin({ settings: { url: 'http://audit.invalid', timeoutMs: 100 }, signer: createInternalContextSigner(keys.privateKey), logger, sink });
    const context = { correlationId: 'c-1', logger, purpose: 'legal-basis:PUBLIC_SERVICE_DELIVERY', principal: { subject: 'petugas', client: 'mpp-console', actorType: 'user', roles: ['officer'] } } as GatewayContext;
    const hooks = await plugin.requestDidStart!({ contextValue: context } as never);
    context.auditBatches!.push(...batches);
    const response = { body: { kind: 'single', singleResult: { data: { citizen: { fullName: 'Siti' } } } }, http: { headers: new HeaderMap() } };
    await hooks!.willSendResponse!({ response, contextValue: context } as never);
    return { response, publicKey: keys.publicKey };
  }

  it('appends every subgraph\'s records in one call, with a context the gateway signed for the audit log', async () => {
    const calls: { batches: AuditBatch[]; request: AuditAppendRequest }[] = [];
    const batches = [{ service: 'dukcapil', records: [RECORD] }, { service: 'tax', records: [RECORD] }];
    const { response, publicKey } = await run({ appendRequest: async (b, request) => void calls.push({ batches: b, request }) }, batches);
    expect(calls).toHaveLength(1);
    expect(calls[0]!.batches).toEqual(batches);
    const caller = await verifyInternalContext(calls[0]!.request.internalContext, publicKey, 'audit');
    expect(caller).toMatchObject({ subject: 'petugas', purpose: 'legal-basis:PUBLIC_SERVICE_DELIVERY', audience: 'audit' });
    expect(response.body.singleResult.data).toEqual({ citizen: { fullName: 'Siti' } });
  });

  it('withholds all data when the append fails', async () => {
    const { response } = await run({ appendRequest: async () => Promise.reject(new Error('audit log down')) }, [{ service: 'dukcapil', records: [RECORD] }]);
    expect(response.body).toEqual({ kind: 'single', singleResult: { data: null, errors: [expect.objectContaining({ extensions: { code: 'AUDIT_UNAVAILABLE' } })] } });
  });

  it('appends nothing for a request that read no personal data', async () => {
    const calls: unknown[] = [];
    await run({ appendRequest: async () => void calls.push(1) }, []);
    expect(calls).toEqual([]);
  });
});
