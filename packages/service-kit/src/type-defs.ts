import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { parse, type DocumentNode } from 'graphql';

function graphqlFiles(dir: string): string[] {
  return readdirSync(dir)
    .sort()
    .flatMap((name) => {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) return graphqlFiles(path);
      return name.endsWith('.graphql') ? [path] : [];
    });
}

/** A subgraph's SDL: every `*.graphql` file under `dir` (its modules), in a stable order. */
export function readSubgraphSdl(dir: string): string {
  const files = graphqlFiles(dir);
  if (files.length === 0) throw new Error(`no .graphql files under ${dir}`);
  return files.map((file) => readFileSync(file, 'utf8').trim()).join('\n\n') + '\n';
}

export function loadTypeDefs(dir: string): DocumentNode {
  return parse(readSubgraphSdl(dir));
}
