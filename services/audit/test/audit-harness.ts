import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import {
  createLogger,
  generateInternalContextKeys,
  openDatabase,
  serveSubgraph,
  signInternalContext,
  type AuditBatch,
  type AuditRecordInput,
  type Database,
  type InternalCaller,
} from '@simpul/service-kit';
import { createTestDatabase, postGraphQL, type TestDatabase } from '@simpul/testing';
import { auditService, createAuditSubgraph, type AuditSettings } from '../src/app';
import { schema, type AuditSchema } from '../src/db/schema';

export const CHAIN_KEY = 'chain-key-for-the-audit-integration-tests';
export const PEPPER = 'pepper-for-the-audit-integration-tests';
export const SITI = '3510014508900002';
export const BUDI = '3510011203850001';

export interface RunningAudit {
  /** The subgraph's GraphQL endpoint. */
  url: string;
  /** Its base URL: what the other subgraphs get as AUDIT_URL. */
  origin: string;
  databaseUrl: string;
  anchorDir: string;
  db: Database<AuditSchema>;
  /** Runs SQL as the database's owner would (a DBA: the triggers can be disabled). */
  sql(text: string): Promise<Record<string, unknown>[]>;
  /** Stops the HTTP server only (the audit service is down; its database is kept). */
  stopServer(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * The audit service on the real Postgres, as src/index.ts runs it but with its settings given:
 * a fresh database (or `databaseUrl`, a second replica of the same log) and a temp anchor directory.
 */
export async function startAudit(
  options: {
    internalContextPublicKey?: string;
    databaseUrl?: string;
    anchorDir?: string;
    chainKey?: string;
    oidc?: AuditSettings['oidc'];
    /** A replica's name (its checkpoint file and first chain). */
    writerId?: string;
    /**
     * How far occurredAt may lie from now. Default here: 20 years, so fixtures may carry fixed dates;
     * the tests of the window itself give the service's own default.
     */
    occurredAtWindowSeconds?: number;
  } = {},
): Promise<RunningAudit> {
  let testDatabase: TestDatabase | undefined;
  if (!options.databaseUrl) testDatabase = await createTestDatabase('audit');
  const databaseUrl = options.databaseUrl ?? testDatabase!.url;
  const anchorDir = options.anchorDir ?? mkdtempSync(join(tmpdir(), 'simpul-audit-anchors-'));
  const database = await openDatabase({ url: databaseUrl, schema, serviceSchema: 'audit', migrationsFolder: auditService.migrationsFolder });
  const settings: AuditSettings = { chainKey: options.chainKey ?? CHAIN_KEY, anchorDir, nikHashPepper: PEPPER, internalContextPublicKey: options.internalContextPublicKey, oidc: options.oidc, writerId: options.writerId, occurredAtWindowSeconds: options.occurredAtWindowSeconds ?? 20 * 365 * 86_400 };
  const subgraph = await createAuditSubgraph({ db: database.db, engine: database.engine, logger: createLogger('audit', 'silent'), settings, ready: database.ping });
  const http = await serveSubgraph(subgraph, {});
  let serverStopped = false;
  const stopServer = async () => {
    if (serverStopped) return;
    serverStopped = true;
    await http.stop();
  };
  return {
    url: http.url,
    origin: new URL(http.url).origin,
    databaseUrl,
    anchorDir,
    db: database.db,
    async sql(text) {
      try {
        return ((await database.db.execute(sql.raw(text))) as unknown as { rows: Record<string, unknown>[] }).rows;
      } catch (error) {
        // Drizzle wraps the database's error; the test wants Postgres' own message.
        throw (error as { cause?: unknown }).cause ?? error;
      }
    },
    stopServer,
    async stop() {
      await stopServer();
      await database.close();
      await testDatabase?.drop();
      if (!options.anchorDir) rmSync(anchorDir, { recursive: true, force: true });
    },
  };
}

export function auditRecord(overrides: Partial<AuditRecordInput> = {}): AuditRecordInput {
  return {
    actor: 'anonymous',
    actorType: 'anonymous',
    client: 'unknown',
    roles: [],
    purpose: null,
    nikHash: 'ab'.repeat(32),
    fields: ['Citizen.fullName', 'Citizen.maritalStatus'],
    kind: 'READ',
    correlationId: 'corr-1',
    occurredAt: '2025-03-01T08:00:00.123Z',
    ...overrides,
  };
}

export async function postRecords(origin: string, batch: AuditBatch | unknown, headers: Record<string, string> = {}) {
  const response = await fetch(`${origin}/records`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof batch === 'string' ? batch : JSON.stringify(batch),
  });
  return { status: response.status, body: (await response.json()) as { appended?: number; head?: { chain: number; sequence: number; hash: string }; error?: { code: string; message: string } } };
}

export const VERIFY = /* GraphQL */ `
  {
    auditLogVerification {
      intact
      records
      chains { chain records head { sequence hash } checkpoint { sequence hash at } }
      problem { chain sequence kind message }
    }
  }
`;

export interface VerificationView {
  intact: boolean;
  records: string;
  chains: { chain: number; records: string; head: { sequence: string; hash: string } | null; checkpoint: { sequence: string; hash: string; at: string } | null }[];
  problem: { chain: number; sequence: string; kind: string; message: string } | null;
}

export async function verification(url: string, headers: Record<string, string> = {}): Promise<VerificationView> {
  const response = await postGraphQL<{ auditLogVerification: VerificationView }>(url, VERIFY, undefined, headers);
  if (!response.data) throw new Error(`auditLogVerification failed: ${JSON.stringify(response.errors)}`);
  return response.data.auditLogVerification;
}

/** The gateway's side of the internal context: an Ed25519 key pair and a signer of contexts. */
export async function gatewayKeys() {
  const { publicKey, privateKey } = await generateInternalContextKeys();
  return {
    publicJwk: JSON.stringify(publicKey),
    /**
     * A context for `caller` and the service it is for (`audience`: the subgraph whose records it
     * vouches for, or `audit` for the audit service's own queries), signed `now` (default: the
     * clock; a past time gives an expired one).
     */
    sign: (caller: TestCaller, audience: string, now?: Date) => signInternalContext({ ...caller, audience }, privateKey, { now }),
  };
}

/** A caller as the gateway vouches for them, before the context is bound to a service. */
export type TestCaller = Omit<InternalCaller, 'audience' | 'requestHash'>;

/** The record a subgraph would send for `caller`'s request. */
export function recordFor(caller: TestCaller, overrides: Partial<AuditRecordInput> = {}): AuditRecordInput {
  return auditRecord({
    actor: caller.subject,
    actorType: caller.actorType,
    client: caller.client,
    roles: [...caller.roles].sort(),
    purpose: caller.purpose ?? null,
    correlationId: caller.correlationId,
    ...overrides,
  });
}
