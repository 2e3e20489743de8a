#!/usr/bin/env node
import { resolve } from 'node:path';
import { runAuditCommand } from './audit-command';
import { parseCommandLine, UsageError, USAGE } from './cli-args';
import { runEventsCommand } from './events-command';
import { runParticipantsCommand } from './participants-command';
import { runStart } from './start-command';
import { styleFor } from './style';
import { runTokenCommand } from './token-command';

/** packages/cli/dist (or src under jest) → the repository root. */
const REPO_ROOT = resolve(__dirname, '..', '..', '..');

async function main(argv: readonly string[]): Promise<number> {
  if (argv[0] === 'events') return runEventsCommand(argv.slice(1), { stdout: process.stdout, stderr: process.stderr, env: process.env });
  if (argv[0] === 'audit') return runAuditCommand(argv.slice(1), { stdout: process.stdout, stderr: process.stderr, env: process.env });
  if (argv[0] === 'participants') return runParticipantsCommand(argv.slice(1), { stdout: process.stdout, stderr: process.stderr, env: process.env });
  if (argv[0] === 'token') return runTokenCommand(argv.slice(1), { stdout: process.stdout, stderr: process.stderr });
  let command;
  try {
    command = parseCommandLine(argv, REPO_ROOT);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    process.stderr.write(`simpul: ${error.message}\nRun \`simpul --help\` for usage.\n`);
    return 2;
  }
  if (command.name === 'help') {
    process.stdout.write(USAGE);
    return 0;
  }
  return runStart(command.options, {
    repoRoot: REPO_ROOT,
    stdout: process.stdout,
    stderr: process.stderr,
    env: process.env,
    style: styleFor(process.stdout),
    uptimeMs: commandUptime(process.env.SIMPUL_COMMAND_STARTED_AT),
    signals: process,
  });
}

/**
 * Time since the user's command began: scripts/simpul.sh records it (epoch seconds) before installing
 * and building, so `npm start`'s "ready in" counts what the user waited; otherwise this process's uptime.
 */
function commandUptime(startedAt: string | undefined): () => number {
  const startedMs = Number(startedAt) * 1000;
  if (!startedAt || !Number.isFinite(startedMs) || startedMs > Date.now()) return () => process.uptime() * 1000;
  return () => Date.now() - startedMs;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`simpul: unexpected failure: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  },
);
