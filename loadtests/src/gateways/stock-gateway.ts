import { readFile } from 'node:fs/promises';
import { ApolloGateway, RemoteGraphQLDataSource } from '@apollo/gateway';
import { ApolloServer } from '@apollo/server';
import { startStandaloneServer } from '@apollo/server/standalone';

/** The supergraph the Simpul gateway serves, checked in at gateway/supergraph.graphql. */
export function checkedInSupergraphPath(): string {
  return require.resolve('@simpul/gateway/supergraph.graphql');
}

export interface StockGateway {
  url: string;
  stop(): Promise<void>;
}

/**
 * An out-of-the-box Apollo gateway over the same supergraph and subgraphs, as the baseline the
 * Simpul gateway is measured against: stock RemoteGraphQLDataSource (no timeouts, correlation ids
 * or partial-failure handling), stock Apollo Server defaults. Only the subgraph URLs are overridden,
 * because the benchmark stack listens on its own ports rather than the composed defaults.
 */
export async function startStockGateway(options: {
  supergraphSdl: string;
  subgraphUrls: Readonly<Record<string, string>>;
  host?: string;
  port: number;
}): Promise<StockGateway> {
  const gateway = new ApolloGateway({
    supergraphSdl: options.supergraphSdl,
    buildService: ({ name }) => {
      const url = options.subgraphUrls[name];
      if (!url) throw new Error(`the supergraph names subgraph "${name}" but the stack does not run it`);
      return new RemoteGraphQLDataSource({ url });
    },
  });
  const server = new ApolloServer({ gateway });
  const { url } = await startStandaloneServer(server, { listen: { host: options.host ?? '127.0.0.1', port: options.port } });
  return { url, stop: () => server.stop() };
}

export async function readCheckedInSupergraph(): Promise<string> {
  return readFile(checkedInSupergraphPath(), 'utf8');
}
