import { resolve } from 'node:path';
import { parseArgs } from 'node:util';

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export const DEFAULT_CITIZENS = 2000;
/** The synthetic world's default PRNG seed (MPP Banyuwangi's opening day), as in service-kit and synthetic-data. */
export const DEFAULT_SEED = 20171006;
export const DEFAULT_HOST = '127.0.0.1';
/** Same bounds as the services' SEED_CITIZENS variable. */
export const MAX_CITIZENS = 1_000_000;

export interface StartOptions {
  /** Citizens to seed an empty data directory with; undefined when not given on the command line. */
  citizens?: number;
  seed?: number;
  /** Absolute path. */
  dataDir: string;
  fresh: boolean;
  host: string;
  logLevel: LogLevel;
  /**
   * Gateway port; the services take the next nine, the identity provider base + 10, the event
   * broker base + 11, the example participants base + 21 and + 22, Simpul Console base + 30. Undefined
   * means the standard ports (4000–4009, 4010, 4011, 4021–4022, 4030).
   */
  basePort?: number;
}

export type Command = { name: 'help' } | { name: 'start'; options: StartOptions };

/** A command line the user has to fix; main prints it with a hint to `--help` and exits 2. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

export const USAGE = `Simpul — one GraphQL endpoint over every agency of a Mal Pelayanan Publik.

Usage:
  simpul start [options]   run the identity provider, the event broker, the nine
                           subgraphs (the institutions', applications, the audit log and
                           the participant registry)
                           and the gateway on embedded databases, two example
                           participants (PLN on events, Bank BPD on webhooks), and
                           Simpul Console, the counter's web app, on its own port:
                           http://127.0.0.1:4030/console/ (apps/console)
  simpul token <user|client>
                           print a demo access token (simpul token --help)
  simpul events replay --dlq <topic>.dlq
                           re-deliver a dead-letter topic's events (simpul events --help)
  simpul audit verify      check the audit log's hash chain (simpul audit --help)
  simpul participants <list|show|register|status|rotate-…>
                           the participant registry's admin API (simpul participants --help)
  simpul --help            show this help

Options for start:
  --citizens <n>     synthetic citizens to seed an empty data directory with (default ${DEFAULT_CITIZENS});
                     existing data is kept as it is, use --fresh to reseed
  --seed <n>         seed of the synthetic-data generator (default ${DEFAULT_SEED})
  --data-dir <path>  where the services keep their PGlite stores, the broker its event log,
                     the identity provider its signing keys and the example participants
                     their data
                     (default <repo>/.simpul/data)
  --fresh            delete the data directory first and seed again
  --host <host>      interface to listen on (default ${DEFAULT_HOST})
  --base-port <n>    move every port: the gateway on <n> (default 4000), the subgraphs on
                     n+1…n+8, the identity provider n+10, the event broker n+11, the
                     participants n+21 and n+22 (a second stack beside another one)
  --log-level <lvl>  services' log level: ${LOG_LEVELS.join(', ')} (default info);
                     debug and trace also show every log line of every process

Ctrl-C stops everything; the next start reuses the data.
From the repository root: npm start -- --citizens 20000
`;

function parseInteger(option: string, raw: string | undefined, min: number, max: number): number | undefined {
  if (raw === undefined) return undefined;
  if (!/^-?\d+$/.test(raw.trim())) throw new UsageError(`--${option} must be a whole number (got "${raw}")`);
  const value = Number(raw);
  if (value < min || value > max) throw new UsageError(`--${option} must be between ${min} and ${max} (got ${value})`);
  return value;
}

/** Parses `simpul <command> [options]` (argv without node and the script). */
export function parseCommandLine(argv: readonly string[], repoRoot: string, cwd = process.cwd()): Command {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      allowPositionals: true,
      strict: true,
      options: {
        help: { type: 'boolean', short: 'h' },
        citizens: { type: 'string' },
        seed: { type: 'string' },
        'data-dir': { type: 'string' },
        fresh: { type: 'boolean' },
        host: { type: 'string' },
        'log-level': { type: 'string' },
        'base-port': { type: 'string' },
      },
    });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const { values, positionals } = parsed;
  const [command, ...extra] = positionals;
  if (values.help || command === undefined || command === 'help') return { name: 'help' };
  if (command !== 'start') throw new UsageError(`unknown command "${command}"`);
  if (extra.length > 0) throw new UsageError(`unexpected argument "${extra[0]}"`);

  const logLevel = values['log-level'] ?? 'info';
  if (!(LOG_LEVELS as readonly string[]).includes(logLevel)) {
    throw new UsageError(`--log-level must be one of ${LOG_LEVELS.join(', ')} (got "${logLevel}")`);
  }
  const host = values.host ?? DEFAULT_HOST;
  if (host.trim() === '') throw new UsageError('--host must not be empty');
  const dataDir = values['data-dir'];
  if (dataDir !== undefined && dataDir.trim() === '') throw new UsageError('--data-dir must not be empty');

  return {
    name: 'start',
    options: {
      citizens: parseInteger('citizens', values.citizens, 1, MAX_CITIZENS),
      seed: parseInteger('seed', values.seed, Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER),
      dataDir: dataDir === undefined ? resolve(repoRoot, '.simpul', 'data') : resolve(cwd, dataDir),
      fresh: values.fresh ?? false,
      host,
      logLevel: logLevel as LogLevel,
      // The gateway takes the base port, the services the nine after it, the identity provider
      // base + 10, the event broker base + 11, the participants base + 21 and + 22.
      basePort: parseInteger('base-port', values['base-port'], 1024, 65535 - 22),
    },
  };
}
