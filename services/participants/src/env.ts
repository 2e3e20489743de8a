import { defineServiceEnv } from '@simpul/service-kit';
import { z } from 'zod';

const emptyAsUndefined = (value: unknown) => (value === '' ? undefined : value);
const optional = <T extends z.ZodType>(schema: T) => z.preprocess(emptyAsUndefined, schema.optional());

export const participantsEnvSchema = defineServiceEnv({
  /**
   * The realm whose clients the registry manages, e.g. https://sso.example.go.id/realms/simpul, and
   * the registry's own confidential client there (`simpul-participants`, with the realm-management
   * roles manage-clients, manage-users and manage-realm). Without them nobody can be registered
   * (IDENTITY_ADMIN_NOT_CONFIGURED); the rest of the registry works.
   */
  OIDC_ISSUER_URL: optional(z.url({ protocol: /^https?$/ })),
  OIDC_CLIENT_ID: optional(z.string().min(1)),
  OIDC_CLIENT_SECRET: optional(z.string().min(1)),
  /**
   * The realm's Admin REST API; default: Keycloak's layout, `<issuer origin>/admin/realms/<realm>`
   * (set it when Keycloak serves the admin API elsewhere, e.g. under KC_HTTP_RELATIVE_PATH).
   */
  IDENTITY_ADMIN_URL: optional(z.url({ protocol: /^https?$/ })),
}).superRefine((env, ctx) => {
  const given = (['OIDC_ISSUER_URL', 'OIDC_CLIENT_ID', 'OIDC_CLIENT_SECRET'] as const).filter((name) => env[name] !== undefined);
  if (given.length > 0 && given.length < 3) {
    for (const name of ['OIDC_ISSUER_URL', 'OIDC_CLIENT_ID', 'OIDC_CLIENT_SECRET'] as const) {
      if (env[name] === undefined) ctx.addIssue({ code: 'custom', path: [name], message: 'set all three of OIDC_ISSUER_URL, OIDC_CLIENT_ID and OIDC_CLIENT_SECRET, or none' });
    }
  }
  if (env.NODE_ENV === 'production' && given.length === 0) {
    ctx.addIssue({ code: 'custom', path: ['OIDC_ISSUER_URL'], message: 'required in production (with OIDC_CLIENT_ID and OIDC_CLIENT_SECRET): registering creates the participant\'s client' });
  }
});

export type ParticipantsEnv = z.infer<typeof participantsEnvSchema>;

/** Keycloak's Admin REST API of the issuer's realm: `https://sso/realms/simpul` → `https://sso/admin/realms/simpul`. */
export function identityAdminUrlOf(issuer: string): string {
  const url = new URL(issuer);
  const match = /^(.*)\/realms\/([^/]+)\/?$/.exec(url.pathname);
  if (!match) throw new Error(`OIDC_ISSUER_URL ${issuer} is not a Keycloak realm URL (…/realms/<realm>); set IDENTITY_ADMIN_URL`);
  return `${url.origin}${match[1]}/admin/realms/${match[2]}`;
}
