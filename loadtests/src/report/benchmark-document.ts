/**
 * docs/benchmarks.md is shared by every scenario: each one owns a block between HTML comment markers
 * and re-running a scenario replaces only its own block, keeping the others and any text written by
 * hand outside the markers.
 */

export interface DocumentSection {
  /** Scenario id, e.g. `unified-citizen`: lowercase letters, digits and dashes. */
  id: string;
  /** The block's Markdown, starting with its own `##` heading. */
  markdown: string;
}

export const DOCUMENT_HEADER = `# Benchmarks

Measured with the Node runner in \`loadtests/\` (\`npm run bench\`). Every section below is written by one
scenario and replaced when that scenario runs again (\`npm run bench -- --scenario <id>\`); text outside
the \`<!-- benchmark:… -->\` markers is kept. Figures from different sections may come from different
days or machines: each section states its own.
`;

const SECTION_ID = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
const MARKER = /<!-- benchmark:([a-z0-9-]+):(begin|end) -->/g;

export function beginMarker(id: string): string {
  return `<!-- benchmark:${id}:begin -->`;
}

export function endMarker(id: string): string {
  return `<!-- benchmark:${id}:end -->`;
}

function renderBlock(section: DocumentSection): string {
  return `${beginMarker(section.id)}\n${section.markdown.trim()}\n${endMarker(section.id)}`;
}

interface ExistingBlock {
  id: string;
  start: number;
  end: number;
}

/** The marked blocks of a document, in order; malformed markers are an error, never a silent rewrite. */
export function findSections(document: string): ExistingBlock[] {
  const blocks: ExistingBlock[] = [];
  let open: { id: string; start: number } | undefined;
  for (const match of document.matchAll(MARKER)) {
    const [marker, id, kind] = match as unknown as [string, string, 'begin' | 'end'];
    if (kind === 'begin') {
      if (open) throw new Error(`benchmark section "${open.id}" is not closed before "${id}" begins`);
      if (blocks.some((block) => block.id === id)) throw new Error(`benchmark section "${id}" appears twice`);
      open = { id, start: match.index };
    } else {
      if (!open || open.id !== id) throw new Error(`benchmark section end marker "${id}" has no matching begin`);
      blocks.push({ id, start: open.start, end: match.index + marker.length });
      open = undefined;
    }
  }
  if (open) throw new Error(`benchmark section "${open.id}" has no end marker`);
  return blocks;
}

/**
 * Replaces the blocks of `sections` in `existing` (a document from an earlier run, or undefined),
 * appending sections the document does not have yet, after everything else.
 */
export function mergeSections(existing: string | undefined, sections: readonly DocumentSection[]): string {
  for (const section of sections) {
    if (!SECTION_ID.test(section.id)) throw new Error(`invalid benchmark section id "${section.id}"`);
  }
  let document = existing?.trim() ? existing : DOCUMENT_HEADER;
  const blocks = findSections(document);
  const appended: DocumentSection[] = [];
  // Replace from the end so earlier offsets stay valid.
  const replacements = sections
    .map((section) => ({ section, block: blocks.find((block) => block.id === section.id) }))
    .filter((entry): entry is { section: DocumentSection; block: ExistingBlock } => {
      if (!entry.block) appended.push(entry.section);
      return entry.block !== undefined;
    })
    .sort((a, b) => b.block.start - a.block.start);
  for (const { section, block } of replacements) {
    document = document.slice(0, block.start) + renderBlock(section) + document.slice(block.end);
  }
  if (appended.length > 0) {
    document = `${document.trimEnd()}\n\n${appended.map(renderBlock).join('\n\n')}`;
  }
  return `${document.trimEnd()}\n`;
}
