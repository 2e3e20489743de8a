import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import {
  createAuditClient,
  openDatabase,
  serviceActorSource,
  type AuditOptions,
  type AuditSink,
  type ClientCredentialsTokenSource,
  type OpenedDatabase,
} from '@simpul/service-kit';
import { createTestDatabase, freePort, REPO_ROOT, type TestDatabase } from '@simpul/testing';
import { TEST_PEPPER } from './applications-service';

const AUDIT_ENTRY = join(REPO_ROOT, 'services', 'audit', 'dist', 'index.js');
const AUDIT_MIGRATIONS = join(REPO_ROOT, 'services', 'audit', 'migrations');
/** The child stops itself when the test process goes away without stopping it (stack.ts does the same). */
const ORPHAN_GUARD = 'data:text/javascript,process.channel?.unref();process.on("disconnect",()=>process.kill(process.pid,"SIGTERM"))';

/** One row of `audit.audit_record`, as the tests compare them. */
export interface StoredAuditRecord {
  service: string;
  actor: string;
  actorType: string;
  client: string;
  roles: string[];
  purpose: string | null;
  nikHash: string;
  fields: string[];
  kind: 'READ' | 'CHANGE';
  correlationId: string;
}

export interface RunningAuditService {
  /** Its base URL: the AUDIT_URL the applications service is given. */
  origin: string;
  /**
   * What the applications service gets from auditOptionsFromEnv with that AUDIT_URL, the test pepper
   * and (with an identity provider) its service account's tokens; the sink also counts the appends
   * that failed (`failedAppends`), so a test can wait for one.
   */
  audit: AuditOptions;
  failedAppends(): number;
  /** Every record in the log, in order. */
  records(): Promise<StoredAuditRecord[]>;
  /** The audit service goes down (its database and port are kept). */
  stop(): Promise<void>;
  /** Up again on the same port. */
  start(): Promise<void>;
  close(): Promise<void>;
}

/**
 * The real audit service (services/audit, built) as a process on a fresh Postgres database, as the
 * stack runs it. With `internalContextPublicKey` it verifies the forwarded gateway contexts and
 * accepts only records naming their caller; with `identityProvider` as well, it accepts the records
 * of the applications service's own work under the service account of `serviceToken` (what
 * OIDC_CLIENT_ID/OIDC_CLIENT_SECRET would fetch). Without either, it takes any well-formed record.
 */
export async function startAuditService(
  options: { internalContextPublicKey?: string; identityProvider?: { issuer: string; serviceToken: () => Promise<string> } } = {},
): Promise<RunningAuditService> {
  if (!existsSync(AUDIT_ENTRY)) throw new Error(`${AUDIT_ENTRY} does not exist: build services/audit first`);
  const database: TestDatabase = await createTestDatabase('applications_audit');
  const anchorDir = await mkdtemp(join(tmpdir(), 'simpul-applications-audit-'));
  const port = await freePort();
  const origin = `http://127.0.0.1:${port}`;
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '',
    NODE_ENV: 'test',
    HOST: '127.0.0.1',
    PORT: String(port),
    LOG_LEVEL: 'warn',
    DATABASE_URL: database.url,
    AUDIT_CHAIN_KEY: 'chain-key-of-the-applications-audit-tests',
    AUDIT_ANCHOR_DIR: anchorDir,
    // The SLA sweep tests run their clock a week ahead: records dated then must still be taken.
    AUDIT_OCCURRED_AT_WINDOW_SECONDS: String(31 * 86_400),
    NIK_HASH_PEPPER: TEST_PEPPER,
    ...(options.internalContextPublicKey ? { INTERNAL_CONTEXT_PUBLIC_KEY: options.internalContextPublicKey } : {}),
    ...(options.identityProvider ? { OIDC_ISSUER_URL: options.identityProvider.issuer } : {}),
  };

  let child: ChildProcess | undefined;
  let exited: Promise<void> = Promise.resolve();
  const output: string[] = [];
  const start = async () => {
    if (child) return;
    const process_ = spawn(process.execPath, ['--import', ORPHAN_GUARD, AUDIT_ENTRY], { cwd: REPO_ROOT, env, stdio: ['ignore', 'pipe', 'pipe', 'ipc'] });
    child = process_;
    let exit: string | undefined;
    exited = new Promise((done) =>
      process_.once('exit', (code, signal) => {
        exit = signal ? `killed by ${signal}` : `exited with code ${code}`;
        if (child === process_) child = undefined;
        done();
      }),
    );
    for (const stream of [process_.stdout, process_.stderr]) stream?.on('data', (chunk: Buffer) => output.push(chunk.toString()));
    const deadline = Date.now() + 20_000;
    for (;;) {
      if (exit) throw new Error(`the audit service ${exit} before it was ready:\n${output.join('')}`);
      try {
        if ((await fetch(`${origin}/readyz`, { signal: AbortSignal.timeout(1000) })).ok) return;
      } catch {
        // not listening yet
      }
      if (Date.now() > deadline) throw new Error(`the audit service was not ready within 20 s:\n${output.join('')}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  };
  const stop = async () => {
    child?.kill('SIGTERM');
    await exited;
  };

  let reader: OpenedDatabase<Record<string, never>> | undefined;
  try {
    await start();
    // The service migrated its database when it started: this only reads it.
    reader = await openDatabase({ url: database.url, schema: {}, serviceSchema: 'audit', migrationsFolder: AUDIT_MIGRATIONS, poolSize: 2 });
  } catch (error) {
    await stop();
    await database.drop();
    throw error;
  }

  // As auditOptionsFromEnv builds them, with the identity provider's token instead of a client-credentials grant.
  const serviceToken = options.identityProvider?.serviceToken;
  const tokens: ClientCredentialsTokenSource | undefined = serviceToken && { token: serviceToken, invalidate: () => undefined };
  const client = createAuditClient({ url: origin, timeoutMs: 2000, accessToken: tokens && (() => tokens.token()) });
  let failures = 0;
  const sink: AuditSink = {
    async append(batch, request) {
      try {
        await client.append(batch, request);
      } catch (error) {
        failures += 1;
        throw error;
      }
    },
  };
  const opened = reader;
  return {
    origin,
    audit: { sink, nikHashPepper: TEST_PEPPER, serviceActor: serviceActorSource('applications', tokens) },
    failedAppends: () => failures,
    async records() {
      const result = (await opened.db.execute(
        sql`select service, actor, actor_type, client, roles, purpose, nik_hash, fields, kind, correlation_id from audit.audit_record order by sequence`,
      )) as unknown as { rows: Record<string, unknown>[] };
      return result.rows.map((row) => ({
        service: row.service as string,
        actor: row.actor as string,
        actorType: row.actor_type as string,
        client: row.client as string,
        roles: row.roles as string[],
        purpose: row.purpose as string | null,
        nikHash: row.nik_hash as string,
        fields: row.fields as string[],
        kind: row.kind as 'READ' | 'CHANGE',
        correlationId: row.correlation_id as string,
      }));
    },
    stop,
    start,
    async close() {
      await stop();
      await opened.close();
      await database.drop();
      await rm(anchorDir, { recursive: true, force: true });
    },
  };
}
