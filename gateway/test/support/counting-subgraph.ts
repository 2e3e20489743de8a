import { composeServices } from '@apollo/composition';
import { createSubgraph, listen, type Logger, type RequestContext } from '@simpul/service-kit';
import { parse } from 'graphql';

const SDL = `
  extend schema @link(url: "https://specs.apollo.dev/federation/v2.7", import: ["@key"])
  type Query { ping: String! }
`;

export interface CountingSubgraph {
  url: string;
  /** The supergraph of this one subgraph, named `applications` so the gateway also proxies its streams. */
  supergraphSdl: string;
  /** Every HTTP request that reached the subgraph, whatever its path. */
  readonly calls: number;
  stop(): Promise<void>;
}

/**
 * A stand-in `applications` subgraph that counts the HTTP requests reaching it: `{ ping }` answers
 * "pong" and `/applications/<id>/events` sends one server-sent event and ends.
 */
export async function startCountingSubgraph(logger: Logger): Promise<CountingSubgraph> {
  const subgraph = await createSubgraph<RequestContext>({
    name: 'applications',
    typeDefs: parse(SDL),
    logger,
    createContext: (base) => base,
    resolvers: { Query: { ping: () => 'pong' } },
    routes: [
      (req, res) => {
        if (!/^\/applications\/[^/]+\/events$/.test(req.url ?? '')) return false;
        res.writeHead(200, { 'content-type': 'text/event-stream' });
        res.end('event: status\ndata: {"status":"SUBMITTED"}\n\n');
        return true;
      },
    ],
  });
  let calls = 0;
  const http = await listen((req, res) => {
    calls++;
    return subgraph.handler(req, res);
  });
  const composed = composeServices([{ name: 'applications', url: http.url, typeDefs: parse(SDL) }]);
  if (composed.errors) throw new Error(composed.errors.map((e) => e.message).join('\n'));
  return {
    url: http.url,
    supergraphSdl: composed.supergraphSdl,
    get calls() {
      return calls;
    },
    async stop() {
      await http.close();
      await subgraph.apollo.stop();
    },
  };
}
