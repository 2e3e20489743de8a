import { PURPOSE_HEADER } from '@simpul/service-kit';

/**
 * A counter officer's unified profile of one citizen: something from each of the seven data subgraphs
 * (every subgraph but the audit log).
 * Shared with tests and benchmarks, so they exercise the same federated plan the demo shows.
 */
export const UNIFIED_PROFILE_QUERY = `query UnifiedProfile($nik: String!) {
  citizen(nik: $nik) {
    fullName
    birthDate
    address { village regency { name } }
    familyCard { number members { nik fullName relationship } }
    npwp
    propertyTaxBills { nop year amount status }
    businesses { nib name kbli status }
    passports { number status expiresOn }
    drivingLicences { number class expiresOn }
    vehicles { plateNumber brand stnkExpiresOn taxDue { amount status } }
    marriages { registeredAt spouse { fullName } }
    applications { id type status }
  }
}`;

/**
 * The query on one line with minimal whitespace, for a command line. Meant for operations that take
 * their values as variables: whitespace inside string literals is not preserved.
 */
export function compactQuery(query: string): string {
  return query
    .replace(/\s+/g, ' ')
    .replace(/\s*([{}():,!$])\s*/g, '$1')
    .trim();
}

/** Headers every demo request sends. */
export const JSON_HEADERS: Readonly<Record<string, string>> = { 'content-type': 'application/json' };

/** Why the counter officer reads the citizen's personal data: serving them at the MPP counter (UU PDP). */
export const DEMO_PURPOSE = 'legal-basis:PUBLIC_SERVICE_DELIVERY';

/** The headers of the counter officer's demo query: JSON, the officer's bearer token, the purpose. */
export function officerHeaders(token: string): Record<string, string> {
  return { ...JSON_HEADERS, authorization: `Bearer ${token}`, [PURPOSE_HEADER]: DEMO_PURPOSE };
}

/** A one-line `curl` asking the identity provider for a client's access token (client credentials grant). */
export function clientCredentialsCurl(issuer: string, client: { clientId: string; clientSecret: string }): string {
  return ['curl -s', '-u', shellQuote(`${client.clientId}:${client.clientSecret}`), '-d grant_type=client_credentials', `${issuer}/protocol/openid-connect/token`].join(' ');
}

/** How long an access token (a JWT) lives, from its own `iat` and `exp`; undefined when it does not say. */
export function tokenLifetimeSeconds(token: string): number | undefined {
  try {
    const claims = JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString('utf8')) as { iat?: unknown; exp?: unknown };
    return typeof claims.iat === 'number' && typeof claims.exp === 'number' && claims.exp > claims.iat ? claims.exp - claims.iat : undefined;
  } catch {
    return undefined;
  }
}

function shellQuote(text: string): string {
  return `'${text.replace(/'/g, `'\\''`)}'`;
}

/** A one-line `curl` POSTing a GraphQL operation (POSIX shell quoting). */
export function curlCommand(options: {
  url: string;
  query: string;
  variables?: Record<string, unknown>;
  headers?: Readonly<Record<string, string>>;
}): string {
  const body = JSON.stringify({ query: compactQuery(options.query), variables: options.variables ?? {} });
  const headers = Object.entries(options.headers ?? JSON_HEADERS).map(([name, value]) => `-H ${shellQuote(`${name}: ${value}`)}`);
  return ['curl -s', options.url, ...headers, '--data', shellQuote(body)].join(' ');
}
