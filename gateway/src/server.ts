import { existsSync, readFileSync } from 'node:fs';
import { listen, type Logger, type RunningService } from '@simpul/service-kit';
import { createGatewayAuth } from './auth/gateway-auth';
import { loadGatewayEnv } from './env';
import { createGateway } from './gateway';

export const SERVICE_NAME = 'gateway';

/** env → supergraph file → gateway → HTTP server; stopping closes them in reverse. */
export async function startGatewayService(
  logger: Logger,
  source: NodeJS.ProcessEnv = process.env,
): Promise<RunningService & { port: number }> {
  const env = loadGatewayEnv(source);
  if (!existsSync(env.supergraphPath)) {
    throw new Error(`supergraph not found at ${env.supergraphPath}: run npm run compose (or set SUPERGRAPH_PATH)`);
  }
  const auth = env.oidc ? createGatewayAuth({ settings: env.oidc, logger }) : undefined;
  if (!auth) logger.warn('OIDC_ISSUER_URL is not set: requests are NOT authenticated (development and tests only)');
  if (!env.internalContextPrivateKey && env.production) {
    logger.warn('INTERNAL_CONTEXT_PRIVATE_KEY is not set: subgraphs that verify x-simpul-context will refuse every request');
  }
  const gateway = await createGateway({
    supergraphSdl: readFileSync(env.supergraphPath, 'utf8'),
    subgraphs: env.subgraphs,
    defaultTimeoutMs: env.subgraphTimeoutMs,
    logger,
    production: env.production,
    hardening: env.hardening,
    auth,
    internalContextPrivateKey: env.internalContextPrivateKey,
    purpose: env.purpose,
    audit: env.audit,
  });
  const http = await listen(gateway.handler, { host: env.host, port: env.port });
  return {
    url: http.url,
    port: http.port,
    async stop() {
      await http.close();
      await gateway.stop();
      auth?.stop();
    },
  };
}
