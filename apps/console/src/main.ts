import { CONSOLE_BASE, createConsoleServer } from './server';
import { ConsoleEnvError, loadConsoleEnv, type ConsoleEnv } from './env';

export const HELP = `Simpul Console — the MPP counter's web app (Bahasa Indonesia, English switch)

Usage: node apps/console/dist/server/main.js [--help]
       (npm start runs it beside the stack at http://127.0.0.1:4030/console/)

Serves the built app under ${CONSOLE_BASE} on its own port, and passes /graphql and
/live/applications/<id> to the gateway unchanged, so the browser talks to one origin.
Sign-in is the realm's authorization code + PKCE on the public client mpp-console, whose
redirect URIs must include this origin (infra/keycloak/simpul-realm.json: 127.0.0.1:4030, localhost:4030).

Environment:
  HOST             where to listen (default 127.0.0.1)
  PORT             port (default 4030)
  GATEWAY_URL      the gateway's origin (default http://127.0.0.1:4000)
  OIDC_ISSUER_URL  the realm's issuer as the browser reaches it (default http://127.0.0.1:4010/realms/simpul)
  OIDC_CLIENT_ID   the realm's public client (default mpp-console)
  WEB_DIR          the built web app (default: apps/console/dist/web)
`;

function main(): void {
  if (process.argv.includes('--help') || process.argv.includes('-h')) {
    process.stdout.write(HELP);
    return;
  }
  let env: ConsoleEnv;
  try {
    env = loadConsoleEnv();
  } catch (error: unknown) {
    if (!(error instanceof ConsoleEnvError)) throw error;
    console.error(error.message);
    process.exit(1);
  }
  const server = createConsoleServer(env);
  server.listen(env.PORT, env.HOST, () => {
    const address = server.address();
    const port = typeof address === 'object' && address ? address.port : env.PORT;
    console.log(`Simpul Console: http://${env.HOST}:${port}${CONSOLE_BASE} (gateway ${env.GATEWAY_URL}, issuer ${env.OIDC_ISSUER_URL})`);
  });
  const stop = () => server.close(() => process.exit(0));
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

main();
