import { execFileSync } from 'node:child_process';
import { clientCredentialsCurl, compactQuery, curlCommand, officerHeaders, tokenLifetimeSeconds, UNIFIED_PROFILE_QUERY } from './demo-query';

describe('UNIFIED_PROFILE_QUERY', () => {
  it('asks every subgraph for its part of the citizen', () => {
    for (const field of ['fullName', 'familyCard', 'npwp', 'propertyTaxBills', 'businesses', 'passports', 'drivingLicences', 'vehicles', 'taxDue', 'marriages', 'applications']) {
      expect(UNIFIED_PROFILE_QUERY).toMatch(new RegExp(`\\b${field}\\b`));
    }
  });
});

describe('compactQuery', () => {
  it('keeps names apart and drops whitespace around punctuation', () => {
    expect(compactQuery('query Q($nik: String!) {\n  citizen(nik: $nik) {\n    fullName birthDate\n    address { village }\n  }\n}')).toBe(
      'query Q($nik:String!){citizen(nik:$nik){fullName birthDate address{village}}}',
    );
  });
});

describe('curlCommand', () => {
  it('survives the shell: the body a shell passes to curl is the GraphQL request', () => {
    const command = curlCommand({ url: 'http://127.0.0.1:4000/graphql', query: UNIFIED_PROFILE_QUERY, variables: { nik: "35100141017800'1" } });
    expect(command.startsWith("curl -s http://127.0.0.1:4000/graphql -H 'content-type: application/json' --data '")).toBe(true);
    // Let a real shell parse the command line, with printf standing in for curl.
    const args = execFileSync('sh', ['-c', command.replace(/^curl /, 'printf "%s\\n" ')], { encoding: 'utf8' }).trimEnd().split('\n');
    expect(args.slice(0, 4)).toEqual(['-s', 'http://127.0.0.1:4000/graphql', '-H', 'content-type: application/json']);
    expect(args[4]).toBe('--data');
    expect(JSON.parse(args[5] ?? '')).toEqual({ query: compactQuery(UNIFIED_PROFILE_QUERY), variables: { nik: "35100141017800'1" } });
  });

  it('sends the headers it is given instead of the defaults', () => {
    const command = curlCommand({ url: 'http://gw/graphql', query: '{ a }', headers: { 'content-type': 'application/json', authorization: 'Bearer demo' } });
    expect(command).toContain("-H 'authorization: Bearer demo'");
  });
});

describe('officerHeaders', () => {
  it('sends the bearer token and declares why the officer reads the personal data', () => {
    expect(officerHeaders('eyJ.a.b')).toEqual({
      'content-type': 'application/json',
      authorization: 'Bearer eyJ.a.b',
      'x-simpul-purpose': 'legal-basis:PUBLIC_SERVICE_DELIVERY',
    });
  });
});

describe('clientCredentialsCurl', () => {
  it('asks the token endpoint with the client id and secret as basic credentials, through a real shell', () => {
    const command = clientCredentialsCurl('http://127.0.0.1:4010/realms/simpul', { clientId: 'integrator-demo', clientSecret: "s3cr'et" });
    const args = execFileSync('sh', ['-c', command.replace(/^curl /, 'printf "%s\\n" ')], { encoding: 'utf8' }).trimEnd().split('\n');
    expect(args).toEqual(['-s', '-u', "integrator-demo:s3cr'et", '-d', 'grant_type=client_credentials', 'http://127.0.0.1:4010/realms/simpul/protocol/openid-connect/token']);
  });
});

describe('tokenLifetimeSeconds', () => {
  const jwt = (claims: unknown) => `eyJhbGciOiJSUzI1NiJ9.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.c2ln`;

  it('is exp - iat of the token', () => {
    expect(tokenLifetimeSeconds(jwt({ iat: 1_700_000_000, exp: 1_700_000_300 }))).toBe(300);
  });

  it('is undefined when the token does not say', () => {
    expect(tokenLifetimeSeconds(jwt({ iat: 1_700_000_000 }))).toBeUndefined();
    expect(tokenLifetimeSeconds(jwt({ iat: '1', exp: '2' }))).toBeUndefined();
    expect(tokenLifetimeSeconds('opaque-token')).toBeUndefined();
    expect(tokenLifetimeSeconds('a.!!!.c')).toBeUndefined();
  });
});
