// Copies non-TypeScript sources a service reads at run time (SDL files) from src/ to dist/.
import { cpSync, readdirSync, statSync, mkdirSync } from 'node:fs';
import { join, dirname } from 'node:path';

function walk(dir, out = []) {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) walk(path, out);
    else if (name.endsWith('.graphql')) out.push(path);
  }
  return out;
}
for (const file of walk('src')) {
  const target = join('dist', file.slice('src/'.length));
  mkdirSync(dirname(target), { recursive: true });
  cpSync(file, target);
}
