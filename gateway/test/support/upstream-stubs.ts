import { createServer, type RequestListener } from 'node:http';
import { createServer as createTcpServer, type AddressInfo, type Socket } from 'node:net';
import { composeServices } from '@apollo/composition';
import { listen, type HttpRoute, type Logger, type RunningHttpServer } from '@simpul/service-kit';
import { parse } from 'graphql';
import { createGateway } from '../../src/gateway';

// Stand-ins for the services behind the gateway's routes outside GraphQL, for those routes' specs
// (the live status stream, the participants' status reports). Not used by the gateway itself.

export interface StubService {
  /** `http://127.0.0.1:<port>/graphql`: its subgraph URL, whose origin the routes forward to. */
  url: string;
  stop(): Promise<void>;
}

/** A service on a free port answering with `handler`. */
export async function startStubService(handler: RequestListener): Promise<StubService> {
  const server = createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`,
    async stop() {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

/** A service that takes every connection and never answers: the gateway's timeout is what answers. */
export async function startHungService(): Promise<StubService> {
  const sockets = new Set<Socket>();
  const server = createTcpServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`,
    async stop() {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

/**
 * Serves the route that `routeTo` makes for a service that cannot answer, `down` (nothing listens
 * on its port) or `hung` (it takes the connection and never answers), sends what `request` sends to
 * the route's server, and stops both.
 */
export async function throughUnreachableService<T>(how: 'down' | 'hung', routeTo: (serviceUrl: string) => HttpRoute, request: (routeServerUrl: string) => Promise<T>): Promise<T> {
  const service = how === 'hung' ? await startHungService() : await startStubService(() => undefined);
  if (how === 'down') await service.stop();
  const server = await serveRoute(routeTo(service.url));
  try {
    return await request(server.url);
  } finally {
    await server.close();
    if (how === 'hung') await service.stop();
  }
}

/** A node:http server serving only `route` (404 otherwise), as createGraphQLHandler tries it. */
export function serveRoute(...routes: HttpRoute[]): Promise<RunningHttpServer> {
  return listen(async (req, res) => {
    for (const route of routes) if (await route(req, res)) return;
    res.writeHead(404).end();
  });
}

/**
 * The whole gateway, with an applications subgraph the supergraph places at a wrong URL and
 * SUBGRAPH_APPLICATIONS_URL `applicationsUrl`: what its routes reach must follow the latter.
 */
export async function serveGatewayWithApplicationsAt(applicationsUrl: string, logger: Logger): Promise<{ url: string; stop(): Promise<void> }> {
  const composed = composeServices([{ name: 'applications', url: 'http://127.0.0.1:1/graphql', typeDefs: parse(`type Query { serviceCatalogVersion: String }`) }]);
  if (composed.errors) throw new Error(composed.errors.map((e) => e.message).join('\n'));
  const gateway = await createGateway({ supergraphSdl: composed.supergraphSdl, subgraphs: { applications: { url: applicationsUrl } }, defaultTimeoutMs: 2000, logger });
  const http = await listen(gateway.handler, {}).catch(async (error: unknown) => {
    await gateway.stop();
    throw error;
  });
  return {
    url: http.url,
    async stop() {
      await http.close();
      await gateway.stop();
    },
  };
}
