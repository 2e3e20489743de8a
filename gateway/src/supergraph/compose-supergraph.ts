import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { composeServices } from '@apollo/composition';
import { SUBGRAPHS, defaultSubgraphUrl, readSubgraphSdl, type SubgraphName } from '@simpul/service-kit';
import { Source, parse } from 'graphql';

export interface SubgraphSource {
  name: SubgraphName;
  /** Folder whose `*.graphql` files make up the subgraph's SDL. */
  modulesDir: string;
  sdl: string;
}

export type CompositionOutcome =
  | { ok: true; supergraphSdl: string; subgraphs: SubgraphName[]; hints: string[] }
  | { ok: false; errors: string[] };

/** `<repo>/services/<name>/src/modules`: where a subgraph's SDL lives in the monorepo. */
export function subgraphModulesDir(repoRoot: string, name: SubgraphName): string {
  return join(repoRoot, 'services', name, 'src', 'modules');
}

/**
 * Composes the supergraph from every subgraph's SDL as checked in. The routing URL baked into the
 * supergraph is the subgraph's default local address; deployments override it per subgraph with
 * `SUBGRAPH_<NAME>_URL` when starting the gateway. Every subgraph of the topology must have SDL:
 * a missing one fails composition rather than silently dropping out of the graph.
 */
export function composeSupergraph(repoRoot: string): CompositionOutcome {
  const sources: SubgraphSource[] = [];
  const errors: string[] = [];
  for (const { name } of SUBGRAPHS) {
    const modulesDir = subgraphModulesDir(repoRoot, name);
    let sdl: string | undefined;
    try {
      sdl = existsSync(modulesDir) ? readSubgraphSdl(modulesDir) : undefined;
    } catch {
      sdl = undefined; // the folder exists but holds no .graphql file yet
    }
    if (sdl !== undefined) sources.push({ name, modulesDir, sdl });
    else errors.push(`[${name}] no SDL: expected *.graphql files under ${modulesDir}`);
  }
  if (errors.length > 0) return { ok: false, errors };

  const services = [];
  for (const source of sources) {
    try {
      const typeDefs = parse(new Source(source.sdl, `${source.name} SDL (*.graphql under ${source.modulesDir}, concatenated)`));
      services.push({ name: source.name, url: defaultSubgraphUrl(source.name), typeDefs });
    } catch (error) {
      // The GraphQL error prints the offending lines, which find the file quickly.
      errors.push(`[${source.name}] SDL does not parse: ${String(error)}`);
    }
  }
  if (errors.length > 0) return { ok: false, errors };

  const result = composeServices(services);
  if (result.errors) {
    return { ok: false, errors: result.errors.map((error) => describeCompositionError(error)) };
  }
  return {
    ok: true,
    supergraphSdl: result.supergraphSdl.endsWith('\n') ? result.supergraphSdl : `${result.supergraphSdl}\n`,
    subgraphs: sources.map((s) => s.name),
    hints: result.hints.map((hint) => `${hint.definition.code}: ${hint.message}`),
  };
}

function describeCompositionError(error: { message: string; extensions?: Record<string, unknown> }): string {
  const code = typeof error.extensions?.code === 'string' ? `${error.extensions.code}: ` : '';
  return `${code}${error.message}`;
}
