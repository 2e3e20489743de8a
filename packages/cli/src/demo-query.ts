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
