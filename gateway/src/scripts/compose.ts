// Composes the supergraph from the subgraphs' checked-in SDL and writes gateway/supergraph.graphql.
//   node gateway/dist/scripts/compose.js                 write the file
//   node gateway/dist/scripts/compose.js --check         exit 1 when the file is stale (CI)
//   --supergraph <path>                                  another file than gateway/supergraph.graphql
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { composeSupergraph } from '../supergraph/compose-supergraph';

/** gateway/{src,dist}/scripts → repository root. */
export const REPO_ROOT = resolve(__dirname, '../../..');

export interface ComposeCliResult {
  exitCode: number;
  out: string[];
  err: string[];
}

export function runCompose(args: readonly string[], repoRoot = REPO_ROOT): ComposeCliResult {
  const out: string[] = [];
  const err: string[] = [];
  const check = args.includes('--check');
  const pathIndex = args.indexOf('--supergraph');
  const supergraphPath =
    pathIndex >= 0 && args[pathIndex + 1] ? resolve(args[pathIndex + 1]!) : join(repoRoot, 'gateway', 'supergraph.graphql');
  const shownPath = relative(process.cwd(), supergraphPath) || supergraphPath;

  const outcome = composeSupergraph(repoRoot);
  if (!outcome.ok) {
    err.push(`Supergraph composition failed with ${outcome.errors.length} error(s):`);
    for (const message of outcome.errors) err.push(`  - ${message}`);
    return { exitCode: 1, out, err };
  }

  const current = existsSync(supergraphPath) ? readFileSync(supergraphPath, 'utf8') : undefined;
  if (check) {
    if (current !== outcome.supergraphSdl) {
      err.push(
        current === undefined
          ? `${shownPath} is missing: run npm run compose`
          : `${shownPath} is stale: run npm run compose`,
      );
      return { exitCode: 1, out, err };
    }
    out.push(`${shownPath} is up to date (${outcome.subgraphs.length} subgraphs: ${outcome.subgraphs.join(', ')})`);
    return { exitCode: 0, out, err };
  }
  if (current === outcome.supergraphSdl) {
    out.push(`${shownPath} unchanged (${outcome.subgraphs.length} subgraphs)`);
  } else {
    writeFileSync(supergraphPath, outcome.supergraphSdl);
    out.push(`wrote ${shownPath} (${outcome.subgraphs.length} subgraphs: ${outcome.subgraphs.join(', ')})`);
  }
  return { exitCode: 0, out, err };
}

if (require.main === module) {
  const result = runCompose(process.argv.slice(2));
  for (const line of result.out) console.log(line);
  for (const line of result.err) console.error(line);
  process.exitCode = result.exitCode;
}
