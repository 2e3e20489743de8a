import { LineFormatter, parseChildLine, type ChildLine } from './log-lines';

const pino = (fields: Record<string, unknown>) =>
  JSON.stringify({ level: 30, time: 1763899200000, pid: 4242, hostname: 'mpp-siak', service: 'dukcapil', name: 'dukcapil', ...fields });

function recordOf(line: ChildLine) {
  if (line.kind === 'text') throw new Error('expected a log record');
  return line.record;
}

describe('parseChildLine', () => {
  it('recognises seeding progress', () => {
    const line = parseChildLine(pino({ seed: { table: 'citizen', done: 1500, total: 2000 }, msg: 'seeding citizen 1500/2000' }));
    expect(line).toMatchObject({ kind: 'seed', table: 'citizen', done: 1500, total: 2000 });
  });

  it('keeps the message and the fields that matter, dropping pino bookkeeping', () => {
    const record = recordOf(parseChildLine(pino({ level: 40, msg: 'slow query', ms: 812, table: 'vehicle' })));
    expect(record).toEqual({ level: 40, message: 'slow query', fields: { ms: 812, table: 'vehicle' } });
  });

  it.each([
    ['a stack trace line', '    at Object.<anonymous> (/srv/simpul/services/tax/dist/index.js:3:9)'],
    ['broken JSON', '{"level":30,"msg":'],
    ['JSON that is not a pino record', '{"status":"ok"}'],
    ['an empty line', ''],
  ])('leaves %s as text', (_, text) => {
    expect(parseChildLine(text)).toEqual({ kind: 'text', text });
  });
});

describe('LineFormatter', () => {
  const formatter = new LineFormatter(17);

  it('prefixes lines with the process name padded to one column', () => {
    expect(formatter.seeding('tax', 'property_tax_bill', 300, 900)).toBe('tax               seeding property_tax_bill 300/900');
    expect(formatter.seeding('religious-affairs', 'marriage', 10, 10)).toBe('religious-affairs seeding marriage 10/10');
  });

  it('renders ready lines with the elapsed time in seconds', () => {
    expect(formatter.ready('dukcapil', 3456, 'existing data')).toBe('dukcapil          ready in 3.5 s (existing data)');
    expect(formatter.ready('gateway', 800)).toBe('gateway           ready in 0.8 s');
  });

  it('renders a warning in full with its fields', () => {
    const line = parseChildLine(pino({ level: 40, msg: 'subgraph slow to answer', subgraph: 'police', ms: 2100, url: 'http://127.0.0.1:4005/graphql' }));
    expect(formatter.any('gateway', line)).toEqual([
      'gateway           WARN subgraph slow to answer subgraph=police ms=2100 url=http://127.0.0.1:4005/graphql',
    ]);
  });

  it('renders an error with its stack below the message', () => {
    const line = parseChildLine(
      pino({
        level: 50,
        msg: 'seeding failed',
        err: { type: 'Error', message: 'duplicate key value', stack: 'Error: duplicate key value\n    at seed (/srv/seed.js:1:1)' },
      }),
    );
    expect(formatter.any('licensing', line)).toEqual([
      'licensing         ERROR seeding failed',
      '                    Error: duplicate key value',
      '                    at seed (/srv/seed.js:1:1)',
    ]);
  });

  it('names an error without a stack in the first line', () => {
    const line = parseChildLine(pino({ level: 50, msg: 'request failed', err: { type: 'Error', message: 'socket hang up' } }));
    expect(formatter.any('gateway', line)).toEqual(['gateway           ERROR request failed socket hang up']);
  });

  it('indents a multi-line message and does not repeat fields the message already lists', () => {
    const problems = ['PORT: Invalid input', 'DATABASE_URL: set DATABASE_URL or DATA_DIR'];
    const line = parseChildLine(
      pino({ level: 60, msg: `tax: Invalid environment:\n  - ${problems[0]}\n  - ${problems[1]}`, problems }),
    );
    expect(formatter.any('tax', line)).toEqual([
      'tax               FATAL tax: Invalid environment:',
      '                    - PORT: Invalid input',
      '                    - DATABASE_URL: set DATABASE_URL or DATA_DIR',
    ]);
  });

  it('quotes string fields that contain spaces and prints objects as JSON', () => {
    const line = parseChildLine(pino({ level: 40, msg: 'odd', note: 'two words', detail: { a: 1 } }));
    expect(formatter.any('police', line)).toEqual(['police            WARN odd note="two words" detail={"a":1}']);
  });

  it('shows text lines as they came', () => {
    expect(formatter.any('police', parseChildLine('(node:77) Warning: something'))).toEqual(['police            (node:77) Warning: something']);
  });
});
