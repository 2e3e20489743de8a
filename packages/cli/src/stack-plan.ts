import { createHash, createHmac, createPrivateKey } from 'node:crypto';
import { join } from 'node:path';
// The realm's demo credentials alone: the package index loads oidc-provider, which only the identity process needs.
import { demoServiceClient } from '@simpul/identity/demo';
// The topology module alone: the package index also loads Apollo, PGlite and drizzle (~0.5 s of
// startup) that the CLI never uses.
import { GATEWAY_PORT, SUBGRAPHS, subgraphUrlVariable } from '@simpul/service-kit';
import type { LogLevel } from './cli-args';

export interface ProcessPlan {
  name: string;
  role: 'identity' | 'broker' | 'subgraph' | 'gateway' | 'participant' | 'console';
  /** Node entry script. */
  script: string;
  port: number;
  /**
   * The GraphQL endpoint; the issuer for the identity provider; the broker's base URL (the
   * services' EVENTS_URL) for the broker; a participant's base URL, or for a webhook participant
   * the URL Simpul posts its tasks to.
   */
  url: string;
  readyUrl: string;
  /** Variables set on top of the (cleaned) parent environment. */
  env: Record<string, string>;
}

export interface StackPlan {
  /** The embedded identity provider (OpenID Connect): started first with the broker, stopped last. */
  identity: ProcessPlan;
  /** The embedded event broker: started first, stopped last. */
  broker: ProcessPlan;
  subgraphs: ProcessPlan[];
  gateway: ProcessPlan;
  /** The example participants, outside Simpul as a real PLN or bank would be: started last, stopped first. */
  participants: ParticipantPlan[];
  /** Simpul Console (apps/console), the counter's web app on the gateway's API: started with the participants. */
  console: ProcessPlan;
}

/** How a participant receives its tasks and reports back (docs/participants.md). */
export type ParticipantConnection = 'events' | 'webhook';

export interface ParticipantPlan extends ProcessPlan {
  role: 'participant';
  connects: ParticipantConnection;
}

/**
 * The example participants `simpul start` runs (examples/<name>), each on GATEWAY_PORT + offset:
 * PLN consumes its tasks from the event broker, Bank BPD receives them as signed webhooks.
 */
export const PARTICIPANTS: readonly { name: string; offset: number; connects: ParticipantConnection }[] = [
  { name: 'pln', offset: 21, connects: 'events' },
  { name: 'bank-bpd', offset: 22, connects: 'webhook' },
];
export const PARTICIPANT_NAMES: readonly string[] = PARTICIPANTS.map((p) => p.name);

/** The embedded identity provider's standard port (its own default, packages/identity). */
export const IDENTITY_PORT = 4010;
/** Its name in the output and its directory under the data directory (signing keys, sessions). */
export const IDENTITY_NAME = 'identity';
/** The realm of infra/keycloak/simpul-realm.json: the issuer is `<origin>/realms/simpul`. */
export const REALM_NAME = 'simpul';
/** The demo user whose token `simpul start` prints: the counter officer. */
export const DEMO_OFFICER = 'petugas';

/** Simpul Console's standard port (apps/console; the realm's mpp-console client redirects to it). */
export const CONSOLE_PORT = 4030;
/** Its name in the output. */
export const CONSOLE_NAME = 'console';

/** The embedded event broker's standard port (its own default, packages/events), after identity's 4010. */
export const EVENTS_BROKER_PORT = 4011;
/** Its name in the output and its directory under the data directory. */
export const EVENTS_BROKER_NAME = 'events';

export interface StackPlanInput {
  repoRoot: string;
  dataDir: string;
  host: string;
  logLevel: LogLevel;
  /**
   * Gateway port; subgraph i (0-based, in SUBGRAPHS order) gets basePort + 1 + i, the identity
   * provider basePort + 10, the event broker basePort + 11, the participants basePort + 21 (pln)
   * and + 22 (bank-bpd).
   */
  basePort?: number;
  seeding: { citizens: number; seed: number };
  /** The data directory's secret for NIK hashes (NIK_HASH_PEPPER of every subgraph). */
  nikHashPepper: string;
  /** Node's on-disk compile cache, shared by all the processes (NODE_COMPILE_CACHE). */
  compileCacheDir?: string;
  /** The NIK of the citizen demo user `warga`: the first sample citizen of the seeded world. */
  demoCitizenNik?: string;
}

/** Where to connect to a server listening on `host`: wildcard addresses become loopback. */
export function connectHost(host: string): string {
  if (host === '0.0.0.0') return '127.0.0.1';
  if (host === '::' || host === '[::]') return '::1';
  return host;
}

export function httpOrigin(host: string, port: number): string {
  const connect = connectHost(host);
  const literal = connect.includes(':') && !connect.startsWith('[') ? `[${connect}]` : connect;
  return `http://${literal}:${port}`;
}

/**
 * Where the broker listens: always loopback. It has no authentication (anyone reaching it could
 * publish task decisions), and only the stack's own processes on this machine use it, so
 * `--host 0.0.0.0` exposes the gateway and the subgraphs but never the broker.
 */
export function brokerHost(host: string): string {
  return connectHost(host).includes(':') ? '::1' : '127.0.0.1';
}

const identityScript = (repoRoot: string) => join(repoRoot, 'packages', 'identity', 'dist', 'main.js');
const brokerScript = (repoRoot: string) => join(repoRoot, 'packages', 'events', 'dist', 'embedded', 'main.js');
const subgraphScript = (repoRoot: string, name: string) => join(repoRoot, 'services', name, 'dist', 'index.js');
const gatewayScript = (repoRoot: string) => join(repoRoot, 'gateway', 'dist', 'index.js');
const participantScript = (repoRoot: string, name: string) => join(repoRoot, 'examples', name, 'dist', 'index.js');
const consoleScript = (repoRoot: string) => join(repoRoot, 'apps', 'console', 'dist', 'server', 'main.js');

/**
 * The Node entry scripts of the identity provider, the event broker, the nine subgraphs, the
 * gateway and the example participants, as the builds leave them.
 */
export function entryScripts(repoRoot: string): { name: string; script: string }[] {
  return [
    { name: IDENTITY_NAME, script: identityScript(repoRoot) },
    { name: EVENTS_BROKER_NAME, script: brokerScript(repoRoot) },
    ...SUBGRAPHS.map(({ name }) => ({ name, script: subgraphScript(repoRoot, name) })),
    { name: 'gateway', script: gatewayScript(repoRoot) },
    ...PARTICIPANTS.map(({ name }) => ({ name, script: participantScript(repoRoot, name) })),
    { name: CONSOLE_NAME, script: consoleScript(repoRoot) },
  ];
}

export const SUBGRAPH_NAMES: readonly string[] = SUBGRAPHS.map((s) => s.name);
/** The subgraph that keeps the audit log; every other one appends to it (AUDIT_URL). */
export const AUDIT_SUBGRAPH = 'audit';
/** The audit log's signed checkpoints, beside its database rather than in it (AUDIT_ANCHOR_DIR). */
export const AUDIT_ANCHORS_STORE = 'audit-anchors';
/**
 * What `simpul start` keeps under the data directory besides its own files: one store per process
 * that has one (the identity provider's holds its signing keys: --fresh gives new ones), and the
 * audit checkpoints (a fresh audit log with old checkpoints would look truncated).
 */
export const STORE_NAMES: readonly string[] = [
  IDENTITY_NAME,
  EVENTS_BROKER_NAME,
  ...SUBGRAPH_NAMES,
  AUDIT_ANCHORS_STORE,
  ...PARTICIPANT_NAMES,
];

/**
 * The secret Simpul and a webhook participant sign with, derived from the data directory's NIK hash
 * pepper: the same across restarts without storing another secret, different for every data
 * directory and participant, and the pepper cannot be recovered from it (the participant sees
 * only the secret). 64 hex characters.
 */
export function webhookSecret(nikHashPepper: string, participant: string): string {
  return createHmac('sha256', nikHashPepper).update(`webhook-secret:${participant}`).digest('hex');
}

/**
 * AUDIT_CHAIN_KEY of the embedded audit log, derived from the data directory's pepper like the
 * webhook secrets: stable across restarts, another for every data directory. The key then lives
 * with the data it protects, which is all a single-machine development stack can do; production
 * sets AUDIT_CHAIN_KEY from a secret store the database's administrators cannot read.
 */
export function auditChainKey(nikHashPepper: string): string {
  return createHmac('sha256', nikHashPepper).update('audit-chain-key').digest('hex');
}

/** OIDC_ISSUER_URL, OIDC_CLIENT_ID and OIDC_CLIENT_SECRET of the subgraph's own client (@simpul/identity serviceClientId), if it has one. */
export function agencyClientEnvironment(name: string, issuer: string): Record<string, string> {
  const client = demoServiceClient(name);
  return client ? { OIDC_ISSUER_URL: issuer, OIDC_CLIENT_ID: client.clientId, OIDC_CLIENT_SECRET: client.clientSecret } : {};
}

/** PKCS#8 DER of an Ed25519 private key, up to its 32-byte seed (RFC 8410). */
const ED25519_PKCS8_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');

/**
 * The gateway's internal-context key pair (security contract): INTERNAL_CONTEXT_PRIVATE_KEY of the
 * gateway, INTERNAL_CONTEXT_PUBLIC_KEY of every subgraph, as Ed25519 JWK JSON with the RFC 7638
 * thumbprint as `kid`. Derived from the data directory's pepper like the webhook secrets: no key
 * to store, another for every data directory; production generates one and keeps it in a secret
 * store (docs/security.md).
 */
export function internalContextKeys(nikHashPepper: string): { privateKey: string; publicKey: string } {
  const seed = createHmac('sha256', nikHashPepper).update('internal-context-key').digest();
  const key = createPrivateKey({ key: Buffer.concat([ED25519_PKCS8_PREFIX, seed]), format: 'der', type: 'pkcs8' });
  const { x, d } = key.export({ format: 'jwk' });
  if (!x || !d) throw new Error('Ed25519 key export without x or d');
  // RFC 7638: the required members in lexicographic order, no whitespace.
  const kid = createHash('sha256').update(JSON.stringify({ crv: 'Ed25519', kty: 'OKP', x })).digest('base64url');
  return {
    privateKey: JSON.stringify({ kty: 'OKP', crv: 'Ed25519', x, d, kid }),
    publicKey: JSON.stringify({ kty: 'OKP', crv: 'Ed25519', x, kid }),
  };
}

/** `bank-bpd` → `BANK_BPD`, the suffix of the applications service's WEBHOOK_URL_<P> and WEBHOOK_SECRET_<P>. */
export function participantVariableSuffix(name: string): string {
  return name.toUpperCase().replace(/-/g, '_');
}

/**
 * The fifteen processes `simpul start` runs, and how each is configured: the embedded default of
 * ARCHITECTURE.md §8 (the identity provider, the event broker, nine subgraphs, the gateway) and
 * the two example participants and Simpul Console.
 */
export function planStack(input: StackPlanInput): StackPlan {
  const gatewayPort = input.basePort ?? GATEWAY_PORT;
  const common: Record<string, string> = {
    LOG_LEVEL: input.logLevel,
    NODE_ENV: 'development',
    // Restarts parse the same modules again; the cache saves each process about a tenth of its startup CPU.
    ...(input.compileCacheDir ? { NODE_COMPILE_CACHE: input.compileCacheDir } : {}),
  };
  const shifted = (standard: number) => (input.basePort === undefined ? standard : input.basePort + (standard - GATEWAY_PORT));
  const brokerPort = shifted(EVENTS_BROKER_PORT);
  const gatewayOrigin = httpOrigin(input.host, gatewayPort);
  const gatewayUrl = `${gatewayOrigin}/graphql`;
  const brokerListensOn = brokerHost(input.host);
  const brokerOrigin = httpOrigin(brokerListensOn, brokerPort);
  const broker: ProcessPlan = {
    name: EVENTS_BROKER_NAME,
    role: 'broker',
    script: brokerScript(input.repoRoot),
    port: brokerPort,
    url: brokerOrigin,
    readyUrl: `${brokerOrigin}/healthz`,
    env: {
      ...common,
      EVENTS_HOST: brokerListensOn,
      EVENTS_PORT: String(brokerPort),
      EVENTS_DATA_DIR: join(input.dataDir, EVENTS_BROKER_NAME),
    },
  };
  // Bound like the gateway: the console in a browser signs in here, and the issuer (what the
  // tokens' `iss` says and the gateway expects) is the origin everyone connects to.
  const identityPort = shifted(IDENTITY_PORT);
  const identityOrigin = httpOrigin(input.host, identityPort);
  const issuer = `${identityOrigin}/realms/${REALM_NAME}`;
  const identity: ProcessPlan = {
    name: IDENTITY_NAME,
    role: 'identity',
    script: identityScript(input.repoRoot),
    port: identityPort,
    url: issuer,
    readyUrl: `${identityOrigin}/readyz`,
    env: {
      ...common,
      HOST: input.host,
      PORT: String(identityPort),
      DATA_DIR: join(input.dataDir, IDENTITY_NAME),
      ISSUER: identityOrigin,
      ...(input.demoCitizenNik ? { DEMO_CITIZEN_NIK: input.demoCitizenNik } : {}),
    },
  };
  const participants: ParticipantPlan[] = PARTICIPANTS.map(({ name, offset, connects }) => {
    const port = gatewayPort + offset;
    const origin = httpOrigin(input.host, port);
    const own = {
      ...common,
      // Bound like the subgraphs: beyond this machine only when --host says so.
      HOST: input.host,
      PORT: String(port),
      DATA_DIR: join(input.dataDir, name),
    };
    const env: Record<string, string> =
      connects === 'events'
        ? { ...own, EVENTS_URL: broker.url }
        : {
            ...own,
            WEBHOOK_SECRET: webhookSecret(input.nikHashPepper, name),
            SIMPUL_STATUS_URL: `${gatewayOrigin}/participants/${name}/task-status`,
          };
    return {
      name,
      role: 'participant',
      connects,
      script: participantScript(input.repoRoot, name),
      port,
      url: connects === 'webhook' ? `${origin}/tasks` : origin,
      readyUrl: `${origin}/readyz`,
      env,
    };
  });
  // The applications service sends webhook participants their tasks.
  const webhookTargets = Object.fromEntries(
    participants
      .filter((p) => p.connects === 'webhook')
      .flatMap((p) => [
        [`WEBHOOK_URL_${participantVariableSuffix(p.name)}`, p.url],
        [`WEBHOOK_SECRET_${participantVariableSuffix(p.name)}`, p.env.WEBHOOK_SECRET ?? ''],
      ]),
  );
  const ports = new Map<string, number>(
    SUBGRAPHS.map(({ name, port }, index) => [name, input.basePort === undefined ? port : input.basePort + 1 + index]),
  );
  const auditOrigin = httpOrigin(input.host, ports.get(AUDIT_SUBGRAPH) ?? GATEWAY_PORT);
  // Every personal-data access of the other subgraphs is appended to the audit log before it is answered.
  // Task workers append the records of their own work with their service account's token, which the
  // audit log verifies against the identity provider.
  const auditing = (name: string): Record<string, string> =>
    name === AUDIT_SUBGRAPH
      ? { AUDIT_CHAIN_KEY: auditChainKey(input.nikHashPepper), AUDIT_ANCHOR_DIR: join(input.dataDir, AUDIT_ANCHORS_STORE), OIDC_ISSUER_URL: issuer }
      : { AUDIT_URL: auditOrigin };
  // The gateway vouches for each caller in a signed context; every subgraph verifies it, serves no
  // one without it, and enforces field access with it.
  const contextKeys = internalContextKeys(input.nikHashPepper);
  const subgraphs: ProcessPlan[] = SUBGRAPHS.map(({ name }) => {
    const port = ports.get(name) ?? GATEWAY_PORT;
    const origin = httpOrigin(input.host, port);
    return {
      name,
      role: 'subgraph',
      script: subgraphScript(input.repoRoot, name),
      port,
      url: `${origin}/graphql`,
      readyUrl: `${origin}/readyz`,
      env: {
        ...common,
        HOST: input.host,
        PORT: String(port),
        DATA_DIR: join(input.dataDir, name),
        SEED_CITIZENS: String(input.seeding.citizens),
        SEED: String(input.seeding.seed),
        // Every agency publishes and consumes events (only applications does so far).
        EVENTS_URL: broker.url,
        NIK_HASH_PEPPER: input.nikHashPepper,
        // Other institutions' data is read through the gateway, never from another subgraph.
        GATEWAY_URL: gatewayUrl,
        INTERNAL_CONTEXT_PUBLIC_KEY: contextKeys.publicKey,
        ...agencyClientEnvironment(name, issuer),
        ...(name === 'applications' ? webhookTargets : {}),
        ...auditing(name),
      },
    };
  });
  const gateway: ProcessPlan = {
    name: 'gateway',
    role: 'gateway',
    script: gatewayScript(input.repoRoot),
    port: gatewayPort,
    url: gatewayUrl,
    readyUrl: `${gatewayOrigin}/readyz`,
    env: {
      ...common,
      HOST: input.host,
      PORT: String(gatewayPort),
      // Every /graphql request needs a bearer token of this issuer.
      OIDC_ISSUER_URL: issuer,
      INTERNAL_CONTEXT_PRIVATE_KEY: contextKeys.privateKey,
      // The gateway appends each request's read records once, for every subgraph.
      AUDIT_URL: auditOrigin,
      ...Object.fromEntries(subgraphs.map((s) => [subgraphUrlVariable(s.name), s.url])),
    },
  };
  const consolePort = shifted(CONSOLE_PORT);
  const consoleOrigin = httpOrigin(input.host, consolePort);
  const consoleApp: ProcessPlan = {
    name: CONSOLE_NAME,
    role: 'console',
    script: consoleScript(input.repoRoot),
    port: consolePort,
    url: `${consoleOrigin}/console/`,
    readyUrl: `${consoleOrigin}/readyz`,
    env: {
      ...common,
      HOST: input.host,
      PORT: String(consolePort),
      // The browser reaches the gateway through the console's origin, and the realm directly.
      GATEWAY_URL: gatewayOrigin,
      OIDC_ISSUER_URL: issuer,
    },
  };
  return { identity, broker, subgraphs, gateway, participants, console: consoleApp };
}

/** Parent variables a child never inherits; see childEnvironment. */
const NOT_INHERITED =
  /^(DATABASE_URL|KAFKA_BROKERS|EVENTS_URL|SUBGRAPH_[A-Z0-9_]+_URL|GATEWAY_URL|WEBHOOK_(URL|SECRET)_[A-Z0-9_]+|WEBHOOK_SECRET|SIMPUL_STATUS_URL|AUDIT_URL|AUDIT_CHAIN_KEY|AUDIT_ANCHOR_DIR|OIDC_[A-Z0-9_]+|ISSUER|REALM_PATH|DEMO_CITIZEN_NIK|INTERNAL_CONTEXT_[A-Z0-9_]+)$/;

/**
 * The parent environment minus what would switch a process to the production shape or to another
 * stack: a developer's DATABASE_URL or KAFKA_BROKERS must not send the embedded stack to a real
 * Postgres or Kafka, and stray EVENTS_URL, SUBGRAPH_*_URL, GATEWAY_URL, WEBHOOK_*, SIMPUL_STATUS_URL,
 * AUDIT_* or OIDC_* values must not point a process at another stack's broker, subgraph, gateway,
 * participant, audit log or identity provider, nor sign or verify with another secret or key
 * (INTERNAL_CONTEXT_*): the plan sets the ones each process needs. The identity provider serves
 * the realm whose demo credentials the banner prints (no stray ISSUER, REALM_PATH or DEMO_CITIZEN_NIK).
 */
export function childEnvironment(parent: NodeJS.ProcessEnv, overrides: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(parent)) {
    if (NOT_INHERITED.test(key)) continue;
    env[key] = value;
  }
  return { ...env, ...overrides };
}
