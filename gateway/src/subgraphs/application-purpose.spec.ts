import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  PURPOSE_LOOKUP_CALLER,
  createInternalContextSigner,
  createInternalContextVerifier,
  createLogger,
  generateInternalContextKeys,
  type ApplicationPurposeFacts,
  type InternalCaller,
  type InternalContextSigner,
  type InternalContextVerifier,
  type Principal,
} from '@simpul/service-kit';
import { createApplicationPurposeResolver, withPurposeParties } from './application-purpose';

const ID = '0193c4b2-7c1e-7d4a-9f3e-2b8c1d0e5f6a';
const FACTS: ApplicationPurposeFacts = {
  id: ID,
  status: 'IN_PROGRESS',
  closedAt: null,
  mppOffice: 'MPP Siak',
  parties: ['1408011705890001', '1408015407920002'],
  participants: ['religious-affairs', 'dukcapil'],
};
const OFFICER: Principal = { subject: 'user-petugas', client: 'mpp-console', actorType: 'user', roles: ['officer'], mppOffice: 'MPP Siak' };
const POLICE: Principal = { subject: 'sa-police', client: 'agency-police', actorType: 'client', roles: ['agency:police', 'participant:police'] };
const logger = createLogger('application-purpose-spec', 'silent');

let signer: InternalContextSigner;
let verifier: InternalContextVerifier;
let server: Server;
let url: string;
/** What the stand-in for the applications service's look-up route saw, and what it answers. */
let lookups: { path: string; caller: InternalCaller }[];
let answer: { status: number; body: unknown };

beforeAll(async () => {
  const keys = await generateInternalContextKeys();
  signer = createInternalContextSigner(keys.privateKey);
  verifier = createInternalContextVerifier(keys.publicKey, { audience: 'applications' });
  server = createServer((req, res) => {
    void verifier.verify(req.headers['x-simpul-context'] as string).then((caller) => {
      lookups.push({ path: req.url ?? '', caller });
      res.writeHead(answer.status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(answer.body));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`;
});

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
});

beforeEach(() => {
  lookups = [];
  answer = { status: 200, body: { application: FACTS } };
});

const resolverWith = (cacheTtlMs: number) =>
  createApplicationPurposeResolver({ applicationsUrl: () => url, signer, timeoutMs: 2000, logger, cacheTtlMs, closedDays: 30 });

describe('application purpose resolver', () => {
  it("asks the applications service as the gateway's own look-up caller, for applications only", async () => {
    expect(await resolverWith(0).partiesFor(ID, OFFICER, 'req-1')).toEqual(FACTS.parties);
    expect(lookups).toHaveLength(1);
    expect(lookups[0]).toMatchObject({ path: `/purposes/applications/${ID}`, caller: { ...PURPOSE_LOOKUP_CALLER, roles: [], correlationId: 'req-1', audience: 'applications' } });
  });

  it('binds nobody when the caller has no part in it, or the application is unknown', async () => {
    expect(await resolverWith(0).partiesFor(ID, POLICE, 'req-2')).toEqual([]);
    answer = { status: 200, body: { application: null } };
    expect(await resolverWith(0).partiesFor(ID, OFFICER, 'req-3')).toEqual([]);
  });

  it('fails closed when the look-up fails, and does not remember the failure', async () => {
    const resolver = resolverWith(60_000);
    answer = { status: 503, body: {} };
    expect(await resolver.partiesFor(ID, OFFICER, 'req-4')).toEqual([]);
    answer = { status: 200, body: { application: { ...FACTS, parties: 'not a list' } } };
    expect(await resolver.partiesFor(ID, OFFICER, 'req-5')).toEqual([]);
    answer = { status: 200, body: { application: FACTS } };
    expect(await resolver.partiesFor(ID, OFFICER, 'req-6')).toEqual(FACTS.parties);
    expect(lookups).toHaveLength(3);
  });

  it('reuses the facts for the cache TTL, for every caller bound on its own', async () => {
    const resolver = resolverWith(60_000);
    expect(await resolver.partiesFor(ID, OFFICER, 'req-7')).toEqual(FACTS.parties);
    expect(await resolver.partiesFor(ID, POLICE, 'req-8')).toEqual([]);
    expect(lookups).toHaveLength(1);
  });

  it('looks an application purpose up once per request, whatever the number of subgraph fetches; other purposes not at all', async () => {
    const resolver = resolverWith(0);
    const request = { principal: OFFICER, correlationId: 'req-9' };
    const claims = { subject: OFFICER.subject, client: OFFICER.client, actorType: OFFICER.actorType, roles: OFFICER.roles, correlationId: 'req-9', audience: 'dukcapil' };
    const fetches = await Promise.all(['dukcapil', 'tax', 'police'].map((audience) => withPurposeParties({ ...claims, audience, purpose: `application:${ID}` }, resolver, request)));
    expect(fetches.map((signed) => signed.purposeParties)).toEqual([FACTS.parties, FACTS.parties, FACTS.parties]);
    expect(lookups).toHaveLength(1);
    expect(await withPurposeParties({ ...claims, purpose: 'legal-basis:PUBLIC_SERVICE_DELIVERY' }, resolver, request)).not.toHaveProperty('purposeParties');
    expect(lookups).toHaveLength(1);
  });
});
