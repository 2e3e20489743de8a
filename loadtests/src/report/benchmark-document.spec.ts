import { DOCUMENT_HEADER, beginMarker, endMarker, findSections, mergeSections } from './benchmark-document';

const unified = { id: 'unified-citizen', markdown: '## Unified citizen\n\nrun 2: 240 req/s' };
const fanOut = { id: 'application-fan-out', markdown: '## Application fan-out\n\n90 req/s' };

function block(id: string, body: string): string {
  return `${beginMarker(id)}\n${body}\n${endMarker(id)}`;
}

describe('mergeSections', () => {
  it('starts a new document with the header and the section', () => {
    const document = mergeSections(undefined, [unified]);
    expect(document.startsWith(DOCUMENT_HEADER.trimEnd())).toBe(true);
    expect(document).toContain(block('unified-citizen', unified.markdown));
    expect(document.endsWith('\n')).toBe(true);
  });

  it('treats an empty file like a missing one', () => {
    expect(mergeSections('  \n', [unified])).toBe(mergeSections(undefined, [unified]));
  });

  it('replaces only the re-run section, keeping other sections and hand-written text in place', () => {
    const existing = [
      '# Benchmarks',
      '',
      'Hand-written note about the lab machine.',
      '',
      block('unified-citizen', '## Unified citizen\n\nrun 1: 200 req/s'),
      '',
      'Note between sections.',
      '',
      block('application-fan-out', fanOut.markdown),
      '',
      'Footer.',
      '',
    ].join('\n');

    const merged = mergeSections(existing, [unified]);

    expect(merged).toBe(existing.replace('run 1: 200 req/s', 'run 2: 240 req/s'));
  });

  it('appends sections the document does not have yet, in the given order', () => {
    const existing = `# Benchmarks\n\n${block('unified-citizen', unified.markdown)}\n`;
    const thirdSection = { id: 'audit-heavy', markdown: '## Audit heavy' };

    const merged = mergeSections(existing, [fanOut, thirdSection]);

    const ids = findSections(merged).map((section) => section.id);
    expect(ids).toEqual(['unified-citizen', 'application-fan-out', 'audit-heavy']);
  });

  it('is idempotent: merging the same section twice gives the same document', () => {
    const once = mergeSections(undefined, [unified, fanOut]);
    expect(mergeSections(once, [unified, fanOut])).toBe(once);
  });

  it('refuses to rewrite a document whose markers are broken', () => {
    const unclosed = `# Benchmarks\n\n${beginMarker('unified-citizen')}\nhalf a section\n`;
    expect(() => mergeSections(unclosed, [unified])).toThrow('no end marker');

    const crossed = `${beginMarker('unified-citizen')}\n${beginMarker('application-fan-out')}\n`;
    expect(() => mergeSections(crossed, [unified])).toThrow('not closed');

    const stray = `text\n${endMarker('unified-citizen')}\n`;
    expect(() => mergeSections(stray, [unified])).toThrow('no matching begin');

    const twice = `${block('unified-citizen', 'a')}\n${block('unified-citizen', 'b')}\n`;
    expect(() => mergeSections(twice, [unified])).toThrow('appears twice');
  });

  it('rejects section ids that could not be read back', () => {
    expect(() => mergeSections(undefined, [{ id: 'Unified Citizen', markdown: '## x' }])).toThrow('invalid');
  });
});
