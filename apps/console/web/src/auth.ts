import { User, UserManager, WebStorageStateStore } from 'oidc-client-ts';

export interface ConsoleConfig {
  issuer: string;
  clientId: string;
}

export type Role = 'officer' | 'supervisor' | 'citizen';

export interface Session {
  accessToken: string;
  username: string;
  roles: string[];
  /** A citizen's own NIK (the `nik` claim of the realm's mpp-console mapper). */
  nik: string | undefined;
  mppOffice: string | undefined;
}

/** Where the app resumes after sign-in: the screen the user was on (path + query). */
interface SignInState {
  returnTo: string;
}

const BASE = '/console/';

/** The access token's claims, for display and navigation only: the gateway verifies the token. */
function claimsOf(accessToken: string): Record<string, unknown> {
  try {
    const payload = accessToken.split('.')[1] ?? '';
    const json = atob(payload.replace(/-/g, '+').replace(/_/g, '/'));
    return JSON.parse(new TextDecoder().decode(Uint8Array.from(json, (c) => c.charCodeAt(0)))) as Record<string, unknown>;
  } catch {
    // Not a JWT we can read: no roles; the gateway refuses it and the console signs in again.
    return {};
  }
}

function sessionOf(user: User): Session {
  const claims = claimsOf(user.access_token);
  const realmAccess = claims['realm_access'] as { roles?: string[] } | undefined;
  const office = claims['mpp_office'];
  return {
    accessToken: user.access_token,
    username: String(claims['preferred_username'] ?? user.profile.preferred_username ?? user.profile.sub),
    roles: realmAccess?.roles ?? [],
    nik: typeof claims['nik'] === 'string' ? claims['nik'] : undefined,
    mppOffice: Array.isArray(office) ? String(office[0]) : typeof office === 'string' ? office : undefined,
  };
}

/**
 * Sign-in with the realm: authorization code + PKCE on the public client (oidc-client-ts), tokens
 * kept in this tab's sessionStorage only, renewed with the refresh token before they expire
 * (silent refresh, no iframe), and sign-out through the realm's end-session endpoint.
 */
export class Auth {
  private readonly manager: UserManager;

  constructor(config: ConsoleConfig) {
    const origin = window.location.origin;
    this.manager = new UserManager({
      authority: config.issuer,
      client_id: config.clientId,
      redirect_uri: `${origin}${BASE}callback`,
      post_logout_redirect_uri: `${origin}${BASE}`,
      response_type: 'code',
      scope: 'openid profile',
      automaticSilentRenew: true,
      userStore: new WebStorageStateStore({ store: window.sessionStorage }),
    });
  }

  /** Completes a sign-in when the realm sent the browser back here; returns where to resume. */
  async completeSignIn(): Promise<string | undefined> {
    if (window.location.pathname !== `${BASE}callback`) return undefined;
    const user = await this.manager.signinRedirectCallback();
    const state = user.state as SignInState | undefined;
    return state?.returnTo?.startsWith(BASE) ? state.returnTo : BASE;
  }

  async session(): Promise<Session | undefined> {
    const user = await this.manager.getUser();
    return user && !user.expired ? sessionOf(user) : undefined;
  }

  onChange(listener: (session: Session | undefined) => void): () => void {
    const loaded = (user: User) => listener(sessionOf(user));
    const unloaded = () => listener(undefined);
    this.manager.events.addUserLoaded(loaded);
    this.manager.events.addUserUnloaded(unloaded);
    return () => {
      this.manager.events.removeUserLoaded(loaded);
      this.manager.events.removeUserUnloaded(unloaded);
    };
  }

  /** Goes to the realm's login and comes back to the current screen. */
  async signIn(): Promise<void> {
    const returnTo = `${window.location.pathname}${window.location.search}`;
    await this.manager.signinRedirect({ state: { returnTo } satisfies SignInState });
  }

  /**
   * The gateway refused the token (expired, revoked): renew it with the refresh token, and when that
   * fails too, sign in again and come back to this screen.
   */
  async renewOrSignIn(): Promise<Session | undefined> {
    try {
      const user = await this.manager.signinSilent();
      if (user) return sessionOf(user);
    } catch {
      // the refresh token is gone or expired too
    }
    await this.manager.removeUser();
    await this.signIn();
    return undefined;
  }

  async signOut(): Promise<void> {
    await this.manager.signoutRedirect();
  }
}
