import { BENCH_DEFAULTS, parseBenchOptions, reproduceCommand } from './bench-options';

const OUTPUT = '/repo/docs/benchmarks.md';

describe('parseBenchOptions', () => {
  it('defaults to every scenario, 2,000 citizens and 15-second runs', () => {
    const options = parseBenchOptions([], OUTPUT);
    expect(options).toMatchObject({
      citizens: 2000,
      seed: undefined,
      durationSeconds: 15,
      connections: 20,
      scenarios: [],
      output: OUTPUT,
      gatewayEnv: {},
      fanOutDurationSeconds: 15,
      fanOutConnections: 2,
      fanOutApplications: undefined,
      fanOutWaitSeconds: 180,
      fanOutTransports: ['embedded', 'kafka'],
      help: false,
    });
  });

  it('reads every option, repeated and comma-separated scenarios included', () => {
    const options = parseBenchOptions(
      [
        '--citizens', '500', '--seed', '7', '--duration', '5', '--warmup', '0', '--rounds', '2',
        '--connections', '8', '--timeout', '3', '--quiet-wait', '0', '--repeats', '1', '--scenario', 'unified-citizen,application-fan-out',
        '--scenario', 'audit', '--gateway-env', 'SUBGRAPH_TIMEOUT_MS=2000', '--gateway-env', 'EMPTY=',
        '--log-level', 'error', '--output', '/tmp/b.md', '--fan-out-duration', '30', '--fan-out-connections', '2',
        '--fan-out-applications', '150', '--fan-out-wait', '60', '--fan-out-transport', 'kafka', '--fan-out-rate', '12',
        '--fan-out-one-at-a-time', '3', '--audit-connections', '16',
      ],
      OUTPUT,
    );
    expect(options).toEqual({
      citizens: 500,
      seed: 7,
      durationSeconds: 5,
      warmupSeconds: 0,
      rounds: 2,
      connections: 8,
      timeoutSeconds: 3,
      quietWaitSeconds: 0,
      repeats: 1,
      scenarios: ['unified-citizen', 'application-fan-out', 'audit'],
      output: '/tmp/b.md',
      gatewayEnv: { SUBGRAPH_TIMEOUT_MS: '2000', EMPTY: '' },
      logLevel: 'error',
      fanOutDurationSeconds: 30,
      fanOutConnections: 2,
      fanOutApplications: 150,
      fanOutWaitSeconds: 60,
      fanOutTransports: ['kafka'],
      fanOutRate: 12,
      fanOutOneAtATime: 3,
      auditConnections: 16,
      help: false,
    });
  });

  it('rejects values that would make a meaningless run', () => {
    expect(() => parseBenchOptions(['--duration', '0'], OUTPUT)).toThrow('--duration must be a positive');
    expect(() => parseBenchOptions(['--connections', '2.5'], OUTPUT)).toThrow('--connections');
    expect(() => parseBenchOptions(['--warmup=-1'], OUTPUT)).toThrow('--warmup must be a non-negative');
    expect(() => parseBenchOptions(['--gateway-env', 'lowercase=1'], OUTPUT)).toThrow('NAME=value');
    expect(() => parseBenchOptions(['--bogus'], OUTPUT)).toThrow();
    expect(() => parseBenchOptions(['--fan-out-duration', '0'], OUTPUT)).toThrow('--fan-out-duration must be a positive');
    expect(() => parseBenchOptions(['--fan-out-wait', 'soon'], OUTPUT)).toThrow('--fan-out-wait');
    expect(() => parseBenchOptions(['--fan-out-applications', '0'], OUTPUT)).toThrow('--fan-out-applications must be a positive');
  });

  it('takes fan-out transports repeated or comma-separated, in the order given, each once', () => {
    const options = parseBenchOptions(['--fan-out-transport', 'kafka,embedded', '--fan-out-transport', 'kafka'], OUTPUT);
    expect(options.fanOutTransports).toEqual(['kafka', 'embedded']);
  });

  it('rejects a fan-out transport it cannot start', () => {
    expect(() => parseBenchOptions(['--fan-out-transport', 'rabbitmq'], OUTPUT)).toThrow('--fan-out-transport must be embedded or kafka');
  });
});

describe('reproduceCommand', () => {
  it('is plain `npm run bench` for the defaults', () => {
    expect(reproduceCommand(parseBenchOptions([], OUTPUT), OUTPUT)).toBe('npm run bench');
  });

  it('lists only what differs from the defaults, and round-trips through the parser', () => {
    const argv = ['--scenario', 'unified-citizen', '--citizens', '500', '--rounds', String(BENCH_DEFAULTS.rounds), '--gateway-env', 'A=1'];
    const options = parseBenchOptions(argv, OUTPUT);
    const command = reproduceCommand(options, OUTPUT);
    expect(command).toBe('npm run bench -- --scenario unified-citizen --citizens 500 --gateway-env A=1');
    const reparsed = parseBenchOptions(command.replace('npm run bench -- ', '').split(' '), OUTPUT);
    expect(reparsed).toEqual(options);
  });

  it('carries the fan-out settings that differ from the defaults', () => {
    const argv = [
      '--scenario', 'fan-out', '--fan-out-duration', '10', '--fan-out-wait', String(BENCH_DEFAULTS.fanOutWaitSeconds),
      '--fan-out-transport', 'embedded', '--fan-out-applications', '200',
    ];
    const options = parseBenchOptions(argv, OUTPUT);
    const command = reproduceCommand(options, OUTPUT);
    expect(command).toBe('npm run bench -- --scenario fan-out --fan-out-duration 10 --fan-out-applications 200 --fan-out-transport embedded');
    expect(parseBenchOptions(command.replace('npm run bench -- ', '').split(' '), OUTPUT)).toEqual(options);
  });

  it('carries the open-loop rate, the one-at-a-time count and the audit appends in flight, 0 skipping a run', () => {
    const options = parseBenchOptions(['--fan-out-rate', '0', '--fan-out-one-at-a-time', '5', '--audit-connections', '64'], OUTPUT);
    expect(options).toMatchObject({ fanOutRate: 0, fanOutOneAtATime: 5, auditConnections: 64 });
    const command = reproduceCommand(options, OUTPUT);
    expect(command).toBe('npm run bench -- --fan-out-rate 0 --fan-out-one-at-a-time 5 --audit-connections 64');
    expect(parseBenchOptions(command.replace('npm run bench -- ', '').split(' '), OUTPUT)).toEqual(options);
    expect(parseBenchOptions([], OUTPUT)).toMatchObject({ fanOutRate: 20, fanOutOneAtATime: 20, auditConnections: 32 });
    expect(() => parseBenchOptions(['--audit-connections', '0'], OUTPUT)).toThrow('--audit-connections must be a positive whole number');
  });
});
