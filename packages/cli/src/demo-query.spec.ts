import { execFileSync } from 'node:child_process';
import { compactQuery, curlCommand, UNIFIED_PROFILE_QUERY } from './demo-query';

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
