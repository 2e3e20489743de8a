import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';

export const INFRA = join(__dirname, '..');
export const REPO_ROOT = join(INFRA, '..');

export interface ComposeService {
  image?: string;
  build?: unknown;
  command?: string[];
  environment?: Record<string, string>;
  volumes?: string[];
  healthcheck?: { test: string[] };
  depends_on?: Record<string, { condition: string }>;
}
export interface ComposeFile {
  services: Record<string, ComposeService>;
  volumes: Record<string, unknown>;
}

/**
 * `${VAR}`, `${VAR:-default}`, `${VAR-default}` and `${VAR:?message}` as Compose interpolates them; a
 * required variable missing from `variables` throws with Compose's message.
 */
export function interpolate(text: string, variables: Record<string, string>): string {
  return text.replace(/\$\{([A-Z0-9_]+)(?:(:?)([-?])([^}]*))?\}/g, (_all, name: string, colon: string, kind: string, rest: string) => {
    const value = variables[name];
    const unset = value === undefined || (colon === ':' && value === '');
    if (kind === '?' && unset) throw new Error(`required variable ${name} is missing a value: ${rest}`);
    if (kind === '-' && unset) return rest;
    return value ?? '';
  });
}

/** Interpolates every string of a parsed file, as Compose does (after parsing: a value stays a string). */
function interpolateValues(value: unknown, variables: Record<string, string>): unknown {
  if (typeof value === 'string') return interpolate(value, variables);
  if (Array.isArray(value)) return value.map((item) => interpolateValues(item, variables));
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, interpolateValues(item, variables)]));
  return value;
}

/** infra/compose.yaml with `variables` filled in, anchors and merge keys resolved. */
export function loadCompose(variables: Record<string, string>): ComposeFile {
  const parsed = parse(readFileSync(join(INFRA, 'compose.yaml'), 'utf8'), { merge: true, maxAliasCount: 1000 }) as unknown;
  return interpolateValues(parsed, variables) as ComposeFile;
}
