import { relative } from 'node:path';

/** A path as a person wants to read it: relative to the working directory when inside it, absolute otherwise. */
export function displayPath(path: string, cwd = process.cwd()): string {
  const shown = relative(cwd, path);
  return shown && !shown.startsWith('..') ? shown : path;
}
