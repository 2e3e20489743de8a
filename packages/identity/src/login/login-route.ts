import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { InteractionDetails, Provider } from 'oidc-provider';
import { BodyTooLargeError, readBody, requestUrl, type Logger } from '@simpul/service-kit';
import type { Realm, RealmUser } from '../realm/realm-file';
import { escapeHtml, HTML_HEADERS, htmlPage } from './html';

const MAX_FORM_BYTES = 16 * 1024;

async function readForm(req: IncomingMessage): Promise<URLSearchParams> {
  return new URLSearchParams(await readBody(req, { limit: MAX_FORM_BYTES }));
}

function sameSecret(expected: string, given: string): boolean {
  const digest = (value: string) => createHash('sha256').update(value, 'utf8').digest();
  return timingSafeEqual(digest(expected), digest(given));
}

/** The realm user a username (or, as Keycloak allows, an e-mail address) and password log in, if any. */
export function authenticate(realm: Realm, login: string, password: string): RealmUser | undefined {
  const wanted = login.trim().toLowerCase();
  if (!wanted) return undefined;
  const user = realm.users.find((candidate) => candidate.username.toLowerCase() === wanted || candidate.email?.toLowerCase() === wanted);
  // Compare even when there is no such user, so the answer takes as long either way.
  const matches = sameSecret(user?.password ?? '\u0000no-password', password);
  return user?.enabled && user.password !== undefined && matches ? user : undefined;
}

function send(res: ServerResponse, status: number, html: string): void {
  res.writeHead(status, HTML_HEADERS);
  res.end(html);
}

function loginForm(action: string, clientName: string, options: { username?: string; error?: string } = {}): string {
  return htmlPage(
    'Masuk · Sign in',
    `<h1>Masuk ke Simpul · Sign in</h1>
<p class="client">${escapeHtml(clientName)}</p>
${options.error ? `<p class="error" role="alert">${escapeHtml(options.error)}</p>` : ''}
<form method="post" action="${escapeHtml(action)}" autocomplete="off">
<label for="username">Nama pengguna · Username</label>
<input id="username" name="username" value="${escapeHtml(options.username ?? '')}" autofocus required>
<label for="password">Kata sandi · Password</label>
<input id="password" name="password" type="password" required>
<button type="submit">Masuk · Sign in</button>
</form>
<p class="note">Embedded Simpul identity provider (development). Production uses Keycloak.</p>`,
  );
}

export interface LoginRouteOptions {
  realm: Realm;
  /** The current provider (replaced when the signing keys rotate). */
  provider: () => Provider;
  logger: Logger;
}

/**
 * `/realms/<realm>/login-actions/authenticate/<uid>`: the login form of an authorization request
 * (GET shows it, POST checks the username and password against the realm's users).
 */
export function createLoginRoute({ realm, provider, logger }: LoginRouteOptions) {
  return async (req: IncomingMessage, res: ServerResponse, uid: string): Promise<void> => {
    const current = provider();
    let details: InteractionDetails;
    try {
      details = await current.interactionDetails(req, res);
    } catch {
      return send(res, 400, htmlPage('Sesi berakhir · Session expired', '<h1>Sesi login berakhir · The login session expired</h1><p>Mulai lagi dari aplikasi. · Start again from the application.</p>'));
    }
    if (details.uid !== uid) {
      return send(res, 400, htmlPage('Kesalahan · Error', '<h1>Permintaan login tidak cocok · Login request mismatch</h1>'));
    }
    const clientId = typeof details.params.client_id === 'string' ? details.params.client_id : '';
    const clientName = realm.clients.find((client) => client.clientId === clientId)?.name ?? clientId;
    const action = requestUrl(req).pathname;

    if (details.prompt.name !== 'login') {
      // Realm clients need no consent (loadExistingGrant grants what they ask); nothing else to ask.
      return current.interactionFinished(req, res, {}, { mergeWithLastSubmission: true });
    }
    if (req.method === 'GET' || req.method === 'HEAD') return send(res, 200, loginForm(action, clientName));
    if (req.method !== 'POST') {
      res.writeHead(405, { allow: 'GET, POST' });
      res.end();
      return;
    }

    let form: URLSearchParams;
    try {
      form = await readForm(req);
    } catch (error) {
      if (error instanceof BodyTooLargeError) return send(res, 413, htmlPage('Kesalahan · Error', '<h1>Formulir terlalu besar · Form too large</h1>'));
      throw error;
    }
    const username = form.get('username') ?? '';
    const user = authenticate(realm, username, form.get('password') ?? '');
    if (!user) {
      logger.info({ username, client: clientId }, 'login refused');
      return send(res, 401, loginForm(action, clientName, { username, error: 'Nama pengguna atau kata sandi salah. · Invalid username or password.' }));
    }
    logger.info({ username: user.username, client: clientId }, 'login');
    await current.interactionFinished(req, res, { login: { accountId: user.id } }, { mergeWithLastSubmission: false });
  };
}
