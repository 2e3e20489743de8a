import { execFile, spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import Ajv from 'ajv';
import { generateInternalContextKeys } from '@simpul/service-kit';
import { INFRA, REPO_ROOT, loadCompose, type ComposeFile } from './compose-file';

// Issue 13 item 4: infra/compose.yaml is valid Compose (the Compose Specification's JSON schema,
// infra/schemas/compose-spec.json from the compose-spec repository, and docker-compose v1 where it is
// installed), one image, healthchecks, ordered start, and each Simpul service's environment is what
// that service's own env schema wants: every required variable, no unknown one.

let variables: Record<string, string>;
let compose: ComposeFile;

beforeAll(async () => {
  const keys = await generateInternalContextKeys();
  variables = {
    NIK_HASH_PEPPER: 'a-deployment-pepper-0123456789',
    INTERNAL_CONTEXT_PUBLIC_KEY: JSON.stringify(keys.publicKey),
    INTERNAL_CONTEXT_PRIVATE_KEY: JSON.stringify(keys.privateKey),
    POSTGRES_PASSWORD: 'postgres-password',
    KEYCLOAK_ADMIN_PASSWORD: 'keycloak-password',
    AUDIT_CHAIN_KEY: 'an-audit-chain-key-of-at-least-32-characters',
    ...Object.fromEntries(
      ['DUKCAPIL', 'LICENSING', 'TAX', 'IMMIGRATION', 'POLICE', 'RELIGIOUS_AFFAIRS', 'APPLICATIONS', 'PARTICIPANTS'].map((s) => [`OIDC_CLIENT_SECRET_${s}`, `${s.toLowerCase()}-secret`]),
    ),
  };
  compose = loadCompose(variables);
});

/** The services that run Simpul's image, by SIMPUL_SERVICE. */
const simpulServices = () => Object.entries(compose.services).filter(([, service]) => service.environment?.SIMPUL_SERVICE);

describe('infra/compose.yaml', () => {
  it('is valid against the Compose Specification schema', () => {
    const schema = JSON.parse(readFileSync(join(INFRA, 'schemas', 'compose-spec.json'), 'utf8')) as Record<string, unknown>;
    delete schema.$schema;
    const ajv = new Ajv({ strict: false, allErrors: true });
    const validate = ajv.compile(schema);
    expect([validate(compose), validate.errors ?? []]).toEqual([true, []]);
    // The schema can fail: a service with an unknown key is refused.
    expect(validate({ services: { gateway: { ...compose.services.gateway, healthcheck: { test: 'x', every: '5s' } } } })).toBe(false);
  });

  it('refuses to start without its secrets', () => {
    expect(() => loadCompose({ ...variables, NIK_HASH_PEPPER: '' })).toThrow(/NIK_HASH_PEPPER/);
  });

  const dockerComposeV1 = ['/usr/bin/docker-compose', '/usr/local/bin/docker-compose'].find((path) => existsSync(path));
  (dockerComposeV1 ? it : it.skip)('is accepted by docker-compose v1 (`docker-compose config`)', async () => {
    const { stdout } = await promisify(execFile)(dockerComposeV1!, ['-f', join(INFRA, 'compose.yaml'), 'config', '--services'], { env: { ...process.env, ...variables } });
    expect(stdout.trim().split('\n').sort()).toEqual(Object.keys(compose.services).sort());
  });

  it('builds one image, which every Simpul service runs, and has no top-level name (docker-compose v1 refuses it)', () => {
    const services = simpulServices();
    expect(services.length).toBe(10);
    expect(new Set(services.map(([, s]) => s.image))).toEqual(new Set(['simpul:local']));
    expect(services.filter(([, s]) => s.build !== undefined).map(([name]) => name)).toEqual(['gateway']);
    expect(compose).not.toHaveProperty('name');
  });

  it('checks every service’s health and starts each after what it needs is healthy', () => {
    for (const [name, service] of Object.entries(compose.services)) {
      expect([name, service.healthcheck?.test.length ?? 0]).not.toEqual([name, 0]);
      for (const [dependency, { condition }] of Object.entries(service.depends_on ?? {})) {
        expect([name, dependency, condition]).toEqual([name, dependency, 'service_healthy']);
      }
    }
    expect(Object.keys(compose.services.gateway!.depends_on!)).toEqual(expect.arrayContaining(['audit', 'applications', 'dukcapil', 'redis', 'keycloak']));
  });

  it('imports the realm into Keycloak at start and keeps Kafka on a volume', () => {
    const keycloak = compose.services.keycloak!;
    expect(keycloak.command).toContain('--import-realm');
    expect(keycloak.volumes).toContain('./keycloak/simpul-realm.json:/opt/keycloak/data/import/simpul-realm.json:ro');
    const kafka = compose.services.kafka!;
    expect(kafka.volumes).toEqual([`kafka-data:${kafka.environment!.KAFKA_LOG_DIRS}`]);
    expect(compose.volumes).toHaveProperty('kafka-data');
  });

  it('mounts the audit checkpoints where the image created the folder for its user', () => {
    const audit = compose.services.audit!;
    const dir = audit.environment!.AUDIT_ANCHOR_DIR!;
    expect(audit.volumes).toEqual([`audit-anchors:${dir}`]);
    const dockerfile = readFileSync(join(INFRA, 'Dockerfile'), 'utf8');
    const user = /^USER (\S+)$/m.exec(dockerfile)?.[1];
    expect(user).toBe('node');
    expect(dockerfile).toContain(`mkdir -p ${dir} && chown ${user}:${user} ${dir}`);
    // Before USER: a named volume copies the folder's ownership when it is first mounted.
    expect(dockerfile.indexOf(`chown ${user}`)).toBeLessThan(dockerfile.indexOf(`USER ${user}`));
  });

  it('runs in production mode, with idempotent Kafka producers', () => {
    for (const [name, service] of simpulServices()) {
      const env = service.environment!;
      expect([name, env.NODE_ENV]).toEqual([name, 'production']);
      if (env.KAFKA_BROKERS) expect([name, env.KAFKA_IDEMPOTENT]).toEqual([name, 'true']);
    }
  });
});

// ---------------------------------------------------------------------------------------------------
// Each service's environment against its own env schema: the service's process is started with the
// compose environment and must get past its env validation (an EnvError lists every bad or missing
// variable and exits); it then fails on the database host, which exists only inside compose.

const entryOf = (service: string) => join(REPO_ROOT, service === 'gateway' ? 'gateway' : `services/${service}`, 'dist', 'index.js');

interface StartOutcome {
  /** The problems of an EnvError, if the environment was refused. */
  problems?: string[];
  lines: string[];
}

/** Starts the process until it leaves env validation (it exits, or logs a line only a valid environment reaches). */
function startWith(service: string, env: Record<string, string>): Promise<StartOutcome> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [entryOf(service)], {
      // PORT 0: the gateway may get as far as listening; nothing else of the environment is changed.
      env: { PATH: process.env.PATH ?? '', ...env, PORT: '0', LOG_LEVEL: 'info' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const lines: string[] = [];
    let buffer = '';
    const done = (outcome: StartOutcome) => {
      child.kill('SIGKILL');
      resolve(outcome);
    };
    const onData = (chunk: Buffer) => {
      buffer += chunk.toString('utf8');
      let newline: number;
      while ((newline = buffer.indexOf('\n')) >= 0) {
        const line = buffer.slice(0, newline);
        buffer = buffer.slice(newline + 1);
        lines.push(line);
        let entry: { msg?: string; problems?: string[] } = {};
        try {
          entry = JSON.parse(line) as typeof entry;
        } catch {
          continue;
        }
        if (entry.problems) return done({ problems: entry.problems, lines });
        // Past env validation: the supergraph is loaded, or the database (a compose host) is being opened.
        if (/supergraph loaded|failed to start|ready$/.test(entry.msg ?? '')) return done({ lines });
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.once('error', reject);
    child.once('exit', () => resolve({ lines }));
  });
}

/** Every variable name the process's code (its own source and the packages it runs on) mentions. */
async function variablesMentioned(service: string): Promise<string> {
  const roots = [service === 'gateway' ? 'gateway/src' : `services/${service}/src`, 'packages/service-kit/src', 'packages/events/src', 'infra/Dockerfile'];
  const texts: string[] = [];
  const walk = async (path: string): Promise<void> => {
    if (path.endsWith('Dockerfile')) return void texts.push(await readFile(join(REPO_ROOT, path), 'utf8'));
    for (const entry of await readdir(join(REPO_ROOT, path), { withFileTypes: true })) {
      const child = `${path}/${entry.name}`;
      if (entry.isDirectory()) await walk(child);
      else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.spec.ts')) texts.push(await readFile(join(REPO_ROOT, child), 'utf8'));
    }
  };
  for (const root of roots) await walk(root);
  return texts.join('\n');
}

/** Variables named by pattern in the code: the gateway's per-subgraph ones (subgraphUrlVariable). */
const PATTERNED = /^SUBGRAPH_(DUKCAPIL|LICENSING|TAX|IMMIGRATION|POLICE|RELIGIOUS_AFFAIRS|APPLICATIONS|AUDIT|PARTICIPANTS)_(URL|TIMEOUT_MS)$/;

describe('each service’s environment in infra/compose.yaml', () => {
  jest.setTimeout(60_000);

  it.each(['gateway', 'dukcapil', 'licensing', 'tax', 'immigration', 'police', 'religious-affairs', 'applications', 'audit', 'participants'])('%s: passes its env schema', async (service) => {
    const env = compose.services[service]!.environment!;
    const outcome = await startWith(service, env);
    expect(outcome.problems).toBeUndefined();
    expect(outcome.lines.length).toBeGreaterThan(0);
  });

  it('the check can fail: a service without a required variable is refused, naming it', async () => {
    const { NIK_HASH_PEPPER: _dropped, ...env } = compose.services.applications!.environment!;
    const outcome = await startWith('applications', env);
    expect(outcome.problems?.join('\n')).toMatch(/NIK_HASH_PEPPER/);
  });

  it.each(['gateway', 'dukcapil', 'licensing', 'tax', 'immigration', 'police', 'religious-affairs', 'applications', 'audit', 'participants'])('%s: sets no variable its code does not read', async (service) => {
    const code = await variablesMentioned(service);
    const unknown = Object.keys(compose.services[service]!.environment!).filter((name) => !PATTERNED.test(name) && !new RegExp(`\\b${name}\\b`).test(code));
    expect(unknown).toEqual([]);
  });
});
