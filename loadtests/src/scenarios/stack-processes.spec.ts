import { latestErrorLines } from './stack-processes';

const line = (level: number, msg: string, time = 1) => JSON.stringify({ level, time, service: 'x', msg });

describe('latestErrorLines', () => {
  it('keeps only error and fatal lines, the latest ones over all processes, named by process and shortened', () => {
    const processes = [
      { name: 'tax', logs: () => [line(30, 'ready'), line(50, 'pool timeout 1', 10), line(40, 'slow'), line(50, 'pool timeout 2', 30)] },
      { name: 'audit', logs: () => [line(60, `crash ${'x'.repeat(600)}`, 40), line(50, 'early', 5)] },
      { name: 'police', logs: () => [line(30, 'all fine'), '{"level":500}'] },
    ];
    const lines = latestErrorLines(processes, 2);
    expect(lines).toHaveLength(2);
    expect(lines[0]).toBe('tax: pool timeout 2');
    expect(lines[1]!.startsWith('audit: crash xxx')).toBe(true);
    expect(lines[1]!.length).toBeLessThanOrEqual('audit: '.length + 500);
    expect(latestErrorLines([processes[2]!])).toEqual([]);
  });

  it('gives a failed query by its chain of causes rather than its text', () => {
    const failed = JSON.stringify({
      level: 50,
      time: 2,
      msg: 'request failed',
      err: {
        type: 'DrizzleQueryError',
        message: `Failed query: select ${'"a", '.repeat(100)}; timeout exceeded when trying to connect`,
        cause: { type: 'Error', message: 'timeout exceeded when trying to connect' },
      },
    });
    // The line without a time sorts first.
    const [, summary] = latestErrorLines([{ name: 'police', logs: () => [failed, 'not json but {"level":50}'] }]);
    expect(summary).toContain('police: request failed — DrizzleQueryError: Failed query: select');
    expect(summary).toContain('"a", … ');
    expect(summary).toContain('"a", ; timeout exceeded when trying to connect ← Error: timeout exceeded when trying to connect');
    expect(latestErrorLines([{ name: 'police', logs: () => ['not json but {"level":50}'] }])).toEqual(['police: not json but {"level":50}']);
  });
});
