import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';

// Issue 14, item 6: the JavaScript a browser loads before the first screen (every script and
// modulepreload index.html names) stays under 200 kB gzip. Runs on the build (npm run build).
const WEB = join(__dirname, '..', 'dist', 'web');
const BUDGET_BYTES = 200 * 1024;

it('loads under 200 kB of gzipped JavaScript before the first screen', () => {
  const index = readFileSync(join(WEB, 'index.html'), 'utf8');
  const scripts = [...index.matchAll(/(?:src|href)="\/console\/(assets\/[^"]+\.js)"/g)].map((m) => m[1]!);
  expect(scripts.length).toBeGreaterThan(0);
  const gzipped = scripts.reduce((sum, path) => sum + gzipSync(readFileSync(join(WEB, path)), { level: 9 }).length, 0);
  console.log(`initial JavaScript: ${scripts.length} file(s), ${(gzipped / 1024).toFixed(1)} kB gzip`);
  expect(gzipped).toBeLessThan(BUDGET_BYTES);
});
