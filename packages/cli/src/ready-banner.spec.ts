import { formatReadyBanner } from './ready-banner';

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
    curl: "curl -s http://127.0.0.1:4000/graphql --data '{}'",
    dataDir: '/srv/simpul/.simpul/data',
    seeding: { citizens: 2000, seed: 20171006 },
  };

  it('lists the endpoints, the samples and a command to paste', () => {
    const text = formatReadyBanner(input).join('\n');
    expect(text).toContain('Simpul is ready in 4.3 s');
    expect(text).toContain('  GraphQL gateway  http://127.0.0.1:4000/graphql\n  Event broker     http://127.0.0.1:4011  (embedded; for the services only)\n');
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
    expect(text).toContain('Unified profile of Siti Rahmawati across the seven data subgraphs:');
    // Unindented, so it can be copied as is.
    expect(formatReadyBanner(input)).toContain(input.curl);
  });

  it('leaves out the samples and the command when there are no samples', () => {
    const text = formatReadyBanner({ ...input, samples: [] }).join('\n');
    expect(text).not.toContain('Sample citizens');
    expect(text).not.toContain('curl');
  });

  it('leaves out the participants heading when there are none', () => {
    expect(formatReadyBanner({ ...input, participants: [] }).join('\n')).not.toContain('Participants');
  });
});
