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
      help: false,
    });
  });

  it('reads every option, repeated and comma-separated scenarios included', () => {
    const options = parseBenchOptions(
      [
        '--citizens', '500', '--seed', '7', '--duration', '5', '--warmup', '0', '--rounds', '2',
        '--connections', '8', '--timeout', '3', '--quiet-wait', '0', '--repeats', '1', '--scenario', 'unified-citizen,application-fan-out',
        '--scenario', 'audit', '--gateway-env', 'SUBGRAPH_TIMEOUT_MS=2000', '--gateway-env', 'EMPTY=',
        '--log-level', 'error', '--output', '/tmp/b.md',
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
      help: false,
    });
  });

  it('rejects values that would make a meaningless run', () => {
    expect(() => parseBenchOptions(['--duration', '0'], OUTPUT)).toThrow('--duration must be a positive');
    expect(() => parseBenchOptions(['--connections', '2.5'], OUTPUT)).toThrow('--connections');
    expect(() => parseBenchOptions(['--warmup=-1'], OUTPUT)).toThrow('--warmup must be a non-negative');
    expect(() => parseBenchOptions(['--gateway-env', 'lowercase=1'], OUTPUT)).toThrow('NAME=value');
    expect(() => parseBenchOptions(['--bogus'], OUTPUT)).toThrow();
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
});
