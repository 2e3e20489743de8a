import { resolve } from 'node:path';
import { DEFAULT_HOST, parseCommandLine, UsageError, USAGE, type StartOptions } from './cli-args';

const REPO = '/srv/simpul';

function start(argv: string[], cwd = '/home/officer'): StartOptions {
  const command = parseCommandLine(argv, REPO, cwd);
  if (command.name !== 'start') throw new Error(`expected start, got ${command.name}`);
  return command.options;
}

describe('parseCommandLine', () => {
  it('starts with the embedded defaults when given no options', () => {
    expect(start(['start'])).toEqual({
      citizens: undefined,
      seed: undefined,
      dataDir: '/srv/simpul/.simpul/data',
      fresh: false,
      host: DEFAULT_HOST,
      logLevel: 'info',
      basePort: undefined,
    });
  });

  it('reads every start option', () => {
    expect(
      start(['start', '--citizens', '500', '--seed', '42', '--data-dir', 'demo', '--fresh', '--host', '0.0.0.0', '--log-level', 'debug', '--base-port', '5000']),
    ).toEqual({
      citizens: 500,
      seed: 42,
      dataDir: resolve('/home/officer', 'demo'),
      fresh: true,
      host: '0.0.0.0',
      logLevel: 'debug',
      basePort: 5000,
    });
  });

  it('accepts --option=value and keeps an absolute --data-dir as given', () => {
    const options = start(['start', '--citizens=40', '--data-dir=/var/lib/simpul']);
    expect(options.citizens).toBe(40);
    expect(options.dataDir).toBe('/var/lib/simpul');
  });

  it.each([[[]], [['--help']], [['-h']], [['help']], [['start', '--help']]])('shows help for %j', (argv) => {
    expect(parseCommandLine(argv, REPO)).toEqual({ name: 'help' });
  });

  it.each([
    [['deploy'], 'unknown command "deploy"'],
    [['start', 'now'], 'unexpected argument "now"'],
    [['start', '--citizens', 'many'], '--citizens must be a whole number (got "many")'],
    [['start', '--citizens', '0'], '--citizens must be between 1 and 1000000 (got 0)'],
    [['start', '--citizens', '2.5'], '--citizens must be a whole number'],
    [['start', '--log-level', 'loud'], '--log-level must be one of fatal, error, warn, info, debug, trace, silent (got "loud")'],
    [['start', '--base-port', '80'], '--base-port must be between 1024 and 65513 (got 80)'],
    [['start', '--base-port', '65514'], '--base-port must be between 1024 and 65513 (got 65514)'],
    [['start', '--host', ''], '--host must not be empty'],
    [['start', '--citizen', '10'], "Unknown option '--citizen'"],
    [['start', '--citizens'], "Option '--citizens <value>' argument missing"],
  ])('rejects %j', (argv, message) => {
    expect(() => parseCommandLine(argv, REPO)).toThrow(UsageError);
    expect(() => parseCommandLine(argv, REPO)).toThrow(message);
  });

  it('documents every option', () => {
    for (const option of ['--citizens', '--seed', '--data-dir', '--fresh', '--host', '--log-level', '--base-port']) expect(USAGE).toContain(option);
  });
});
