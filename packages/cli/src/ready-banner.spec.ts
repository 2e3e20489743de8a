import { formatReadyBanner } from './ready-banner';

const credentials = {
  users: [
    { username: 'petugas', password: 'demo', roles: ['officer'] },
    { username: 'warga', password: 'demo', roles: ['citizen'], nik: '1408014501900001' },
  ],
  clients: [{ clientId: 'integrator-demo', clientSecret: 'integrator-demo-secret', roles: ['integrator'] }],
  console: { clientId: 'mpp-console', redirectUris: ['http://127.0.0.1:4000/*'] },
};
const renew = {
  user: 'npm run simpul -- token petugas',
  client: 'curl -s -u integrator-demo:secret -d grant_type=client_credentials http://127.0.0.1:4010/realms/simpul/protocol/openid-connect/token',
};

describe('formatReadyBanner', () => {
  const input = {
    startupMs: 4321,
    gatewayUrl: 'http://127.0.0.1:4000/graphql',
    eventsUrl: 'http://127.0.0.1:4011',
    subgraphs: [
      { name: 'dukcapil', url: 'http://127.0.0.1:4001/graphql' },
      { name: 'religious-affairs', url: 'http://127.0.0.1:4006/graphql' },
    ],
    participants: [
      { name: 'pln', url: 'http://127.0.0.1:4021', connects: 'events' as const },
      { name: 'bank-bpd', url: 'http://127.0.0.1:4022/tasks', connects: 'webhook' as const },
    ],
    samples: [
      { nik: '1408014501900001', fullName: 'Siti Rahmawati', highlights: ['business', 'passport'] },
      { nik: '3510011203850002', fullName: 'Made Wirawan', highlights: ['vehicle'] },
    ],
    curl: "curl -s http://127.0.0.1:4000/graphql -H 'authorization: Bearer eyJ.demo.token' --data '{}'",
    dataDir: '/srv/simpul/.simpul/data',
    seeding: { citizens: 2000, seed: 20171006 },
    identity: { issuer: 'http://127.0.0.1:4010/realms/simpul', credentials },
    demoToken: { who: 'petugas', lifetimeSeconds: 300, renew },
  };

  it('lists the endpoints, the samples and a command to paste', () => {
    const text = formatReadyBanner(input).join('\n');
    expect(text).toContain('Simpul is ready in 4.3 s');
    expect(text).toContain(
      '  GraphQL gateway  http://127.0.0.1:4000/graphql  (requests need a bearer token)\n' +
        '  Event broker     http://127.0.0.1:4011  (embedded; for the services only)\n',
    );
    expect(text).toContain('    dukcapil           http://127.0.0.1:4001/graphql');
    expect(text).toContain('    religious-affairs  http://127.0.0.1:4006/graphql');
    expect(text).toContain(
      '  Participants  (example systems of other institutions, outside Simpul)\n' +
        '    pln       http://127.0.0.1:4021        events (takes its tasks from the broker)\n' +
        '    bank-bpd  http://127.0.0.1:4022/tasks  webhook (Simpul posts its tasks here)\n',
    );
    expect(text).toContain('    1408014501900001  Siti Rahmawati\n      · business\n      · passport\n');
    expect(text).toContain('    3510011203850002  Made Wirawan\n      · vehicle\n');
    expect(text).toContain('(2000 synthetic citizens, seed 20171006)');
    expect(text).toContain('Unified profile of Siti Rahmawati across the seven data subgraphs, as petugas:');
    // Unindented, so it can be copied as is.
    expect(formatReadyBanner(input)).toContain(input.curl);
  });

  it('names the identity provider and who can sign in to it with what', () => {
    const text = formatReadyBanner(input).join('\n');
    expect(text).toContain('  Identity provider http://127.0.0.1:4010/realms/simpul (demo credentials, development only)\n');
    expect(text).toMatch(/^ {6}petugas +demo +officer$/m);
    expect(text).toMatch(/^ {6}warga +demo +citizen \(NIK 1408014501900001\)$/m);
    expect(text).toMatch(/^ {6}integrator-demo +integrator-demo-secret +integrator$/m);
  });

  it('says when the token expires and how to get a new one, for a user and for a client', () => {
    const text = formatReadyBanner(input).join('\n');
    expect(text).toContain(
      `${input.curl}\n\n  Tokens expire after 5 minutes (the realm's access token lifespan). A new one:\n` +
        `    ${renew.user}\n  or a client's, with the client credentials grant:\n    ${renew.client}\n`,
    );
    expect(formatReadyBanner({ ...input, demoToken: { ...input.demoToken, lifetimeSeconds: 90 } }).join('\n')).toContain('Tokens expire after 90 s');
    expect(formatReadyBanner({ ...input, demoToken: { who: 'petugas', renew } }).join('\n')).toContain('Tokens expire after a few minutes');
  });

  it('explains a missing token: why, and what to put in its place', () => {
    const text = formatReadyBanner({
      ...input,
      curl: "curl -s http://127.0.0.1:4000/graphql -H 'authorization: Bearer <token>' --data '{}'",
      demoToken: { who: 'petugas', error: 'token endpoint answered 503', renew },
    }).join('\n');
    expect(text).toContain("note could not get petugas's token (token endpoint answered 503);\n  replace <token> with the output of: npm run simpul -- token petugas");
    expect(text).toContain("-H 'authorization: Bearer <token>'");
  });

  it('leaves out the samples and the command when there are no samples', () => {
    const text = formatReadyBanner({ ...input, samples: [] }).join('\n');
    expect(text).not.toContain('Sample citizens');
    expect(text).not.toContain('/graphql -H');
    // Still how to get a token.
    expect(text).toContain(`  An access token for the gateway:\n    ${renew.user}\n`);
  });

  it('leaves out the participants heading when there are none', () => {
    expect(formatReadyBanner({ ...input, participants: [] }).join('\n')).not.toContain('Participants');
  });
});
