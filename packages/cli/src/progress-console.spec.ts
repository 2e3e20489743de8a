import { LineFormatter } from './log-lines';
import { ProgressConsole } from './progress-console';

function capture(isTTY: boolean, columns = 60) {
  const chunks: string[] = [];
  return { chunks, stream: { isTTY, columns, write: (text: string) => chunks.push(text) } };
}

describe('ProgressConsole without a terminal', () => {
  it('prints seeding progress at most once per interval per process, and always the last row', () => {
    let now = 0;
    const { chunks, stream } = capture(false);
    const output = new ProgressConsole(stream, new LineFormatter(9), { now: () => now, throttleMs: 1000 });
    output.begin(['dukcapil', 'tax']);
    output.seeding('dukcapil', 'citizen', 500, 2000);
    now = 400;
    output.seeding('dukcapil', 'citizen', 1000, 2000);
    output.seeding('tax', 'taxpayer', 100, 300);
    now = 1000;
    output.seeding('dukcapil', 'citizen', 1500, 2000);
    now = 1100;
    output.seeding('dukcapil', 'citizen', 2000, 2000);
    output.ready('dukcapil', 1200, 'demo data seeded');
    expect(chunks.join('')).toBe(
      [
        'dukcapil  seeding citizen 500/2000',
        'tax       seeding taxpayer 100/300',
        'dukcapil  seeding citizen 1500/2000',
        'dukcapil  seeding citizen 2000/2000',
        'dukcapil  ready in 1.2 s (demo data seeded)',
        '',
      ].join('\n'),
    );
  });

  it('never writes terminal control sequences', () => {
    const { chunks, stream } = capture(false);
    const output = new ProgressConsole(stream, new LineFormatter(9));
    output.begin(['police']);
    output.print('police    WARN something');
    output.end();
    expect(chunks.join('')).not.toContain('\u001b');
  });
});

describe('ProgressConsole on a terminal', () => {
  it('keeps the status line below permanent lines and clears it at the end', () => {
    const { chunks, stream } = capture(true);
    const output = new ProgressConsole(stream, new LineFormatter(9), { now: () => 0 });
    output.begin(['dukcapil', 'tax']);
    output.seeding('dukcapil', 'citizen', 2000, 2000);
    output.ready('tax', 900);
    output.end();
    const text = chunks.join('');
    expect(text).toContain('\r\u001b[2K0 s · 0/2 ready · starting dukcapil, tax');
    expect(text).toContain('\r\u001b[2Kdukcapil  seeding citizen 2000/2000\n');
    expect(text).toContain('tax       ready in 0.9 s\n\r\u001b[2K0 s · 1/2 ready · dukcapil citizen 100%');
    expect(text.endsWith('\r\u001b[2K')).toBe(true);
  });

  it('summarises what is still starting and cuts the status line to the terminal width', () => {
    let now = 1000;
    const { stream } = capture(true, 40);
    const output = new ProgressConsole(stream, new LineFormatter(9), { now: () => now });
    output.begin(['dukcapil', 'licensing', 'tax', 'police']);
    output.seeding('dukcapil', 'citizen', 1500, 2000);
    output.ready('licensing', 700);
    now = 13_500;
    expect(output.statusText()).toBe('12 s · 1/4 ready · dukcapil citizen 75% · starting tax, police');
    output.seeding('tax', 'property_tax_bill', 1, 100000);
    const chunks: string[] = [];
    stream.write = (text: string) => chunks.push(text);
    output.print('a permanent line');
    const status = chunks.at(-1) ?? '';
    expect(status.replace('\r\u001b[2K', '').length).toBeLessThanOrEqual(39);
    expect(status.endsWith('…')).toBe(true);
    output.end();
  });
});
