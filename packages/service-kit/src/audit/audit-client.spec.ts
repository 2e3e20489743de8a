import { createHmac } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { z } from 'zod';
import { EnvError, loadEnv } from '../env';
import { AuditUnavailableError, createAuditClient } from './audit-client';
import { auditEnvShape, auditOptionsFromEnv } from './audit-config';
import { auditNikHash, MAX_AUDIT_BATCH_RECORDS, type AuditBatch, type AuditRecordInput } from './audit-record';

const record: AuditRecordInput = {
  actor: 'officer-7',
  actorType: 'user',
  client: 'mpp-console',
  roles: ['officer'],
  purpose: 'legal-basis:UU_ADMINDUK',
  nikHash: 'a'.repeat(64),
  fields: ['Citizen.fullName'],
  kind: 'READ',
  correlationId: 'c-1',
  occurredAt: '2025-01-01T00:00:00.000Z',
};

let server: Server;
let url: string;
let answer: (req: IncomingMessage, res: ServerResponse, body: string) => void;
const received: { headers: IncomingMessage['headers']; path: string | undefined; body: AuditBatch }[] = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => {
      received.push({ headers: req.headers, path: req.url, body: JSON.parse(body) as AuditBatch });
      answer(req, res, body);
    });
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise((done) => server.close(done)));
beforeEach(() => {
  received.length = 0;
  answer = (_req, res) => res.writeHead(201).end('{}');
});

describe('createAuditClient', () => {
  it('posts the batch to <url>/records with the forwarded context and correlation id', async () => {
    await createAuditClient({ url }).append({ service: 'tax', records: [record] }, { internalContext: 'signed.context.jws', correlationId: 'c-1' });
    expect(received).toHaveLength(1);
    expect(received[0]).toMatchObject({ path: '/records', body: { service: 'tax', records: [record] } });
    expect(received[0]?.headers).toMatchObject({ 'x-simpul-context': 'signed.context.jws', 'x-correlation-id': 'c-1' });
  });

  it('sends the service\'s own access token when there is no gateway context, and never both', async () => {
    const client = createAuditClient({ url, accessToken: async () => 'service.account.token' });
    await client.append({ service: 'tax', records: [record] }, { correlationId: 'c-2' });
    await client.append({ service: 'tax', records: [record] }, { internalContext: 'signed.context.jws', correlationId: 'c-3' });
    expect(received.map((r) => [r.headers.authorization, r.headers['x-simpul-context']])).toEqual([
      ['Bearer service.account.token', undefined],
      [undefined, 'signed.context.jws'],
    ]);
    const noToken = createAuditClient({ url, accessToken: async () => Promise.reject(new Error('invalid_client')) });
    await expect(noToken.append({ service: 'tax', records: [record] }, { correlationId: 'c-4' })).rejects.toThrow(/^no access token for the audit service: invalid_client$/);
  });

  it('splits a big batch into posts of at most MAX_AUDIT_BATCH_RECORDS, in order', async () => {
    const records = Array.from({ length: MAX_AUDIT_BATCH_RECORDS + 3 }, (_, i) => ({ ...record, correlationId: `c-${i}` }));
    await createAuditClient({ url: `${url}/` }).append({ service: 'tax', records }, { correlationId: 'c' });
    expect(received.map((r) => r.body.records.length)).toEqual([MAX_AUDIT_BATCH_RECORDS, 3]);
    expect(received[1]?.body.records[0]?.correlationId).toBe(`c-${MAX_AUDIT_BATCH_RECORDS}`);
  });

  it('fails when the audit service refuses, is unreachable or too slow', async () => {
    const client = createAuditClient({ url, timeoutMs: 200 });
    answer = (_req, res) => res.writeHead(503).end('{"error":"database down"}');
    await expect(client.append({ service: 'tax', records: [record] }, { correlationId: 'c' })).rejects.toThrow(
      new AuditUnavailableError('audit service refused the records (HTTP 503): {"error":"database down"}'),
    );
    answer = () => undefined; // never answers
    await expect(client.append({ service: 'tax', records: [record] }, { correlationId: 'c' })).rejects.toBeInstanceOf(AuditUnavailableError);
    const unreachable = createAuditClient({ url: 'http://127.0.0.1:1' });
    await expect(unreachable.append({ service: 'tax', records: [record] }, { correlationId: 'c' })).rejects.toThrow(/did not answer/);
  });
});

/** The audit variables of a raw environment, parsed as a service parses them at start. */
const parsed = (source: NodeJS.ProcessEnv) => loadEnv(z.object(auditEnvShape), source);

describe('auditOptionsFromEnv', () => {
  it('is off without AUDIT_URL outside production, and required in production with the pepper', () => {
    expect(auditOptionsFromEnv(parsed({}), false)).toBeUndefined();
    expect(() => auditOptionsFromEnv(parsed({}), true)).toThrow(EnvError);
    const problems = (() => {
      try {
        auditOptionsFromEnv(parsed({ AUDIT_URL: 'http://audit:4008' }), true);
        return [];
      } catch (error) {
        return (error as EnvError).problems;
      }
    })();
    expect(problems).toEqual(['NIK_HASH_PEPPER: required in production']);
    expect(auditOptionsFromEnv(parsed({ AUDIT_URL: 'http://audit:4008', NIK_HASH_PEPPER: 'p'.repeat(16) }), true)?.nikHashPepper).toBe('p'.repeat(16));
    // A malformed variable is refused where the environment is parsed, with every other problem.
    expect(() => parsed({ AUDIT_URL: 'ftp://audit' })).toThrow(/AUDIT_URL/);
    // A service that records its own work needs its service account in production, not elsewhere.
    const production = { AUDIT_URL: 'http://audit:4008', NIK_HASH_PEPPER: 'p'.repeat(16) };
    expect(() => auditOptionsFromEnv(parsed(production), true, 'tax', { ownWork: true })).toThrow(/OIDC_CLIENT_ID: required in production/);
    expect(auditOptionsFromEnv(parsed(production), true, 'tax')).toBeDefined();
    expect(auditOptionsFromEnv(parsed({ AUDIT_URL: 'http://audit:4008' }), false, 'tax', { ownWork: true })).toBeDefined();
    expect(
      auditOptionsFromEnv(parsed({ ...production, OIDC_ISSUER_URL: 'https://sso.example.go.id/realms/simpul', OIDC_CLIENT_ID: 'agency-tax', OIDC_CLIENT_SECRET: 's' }), true, 'tax', { ownWork: true })?.serviceActor,
    ).toEqual(expect.any(Function));
    expect(auditOptionsFromEnv(parsed({ AUDIT_URL: 'http://audit:4008' }), false)?.nikHashPepper).toBe('simpul-development-pepper-not-secret');
  });
});

describe('auditNikHash', () => {
  it('is HMAC-SHA256(pepper, NIK) in hex, as hashNik of @simpul/events', () => {
    const pepper = 'a-pepper-of-16-chars';
    expect(auditNikHash('3510014508900002', pepper)).toBe(createHmac('sha256', pepper).update('3510014508900002').digest('hex'));
    expect(() => auditNikHash('3510014508900002', 'short')).toThrow(/16 characters/);
  });
});
