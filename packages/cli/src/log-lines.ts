import { PLAIN, type Style } from './style';

/** pino's numeric levels. */
export const LEVEL_NAMES: Record<number, string> = { 10: 'trace', 20: 'debug', 30: 'info', 40: 'warn', 50: 'error', 60: 'fatal' };
export const LEVEL_VALUES: Record<string, number> = { trace: 10, debug: 20, info: 30, warn: 40, error: 50, fatal: 60, silent: Infinity };
export const DEBUG = 20;
export const INFO = 30;
export const WARN = 40;

export interface LoggedError {
  type?: string;
  message?: string;
  stack?: string;
  [key: string]: unknown;
}

export interface LogRecord {
  level: number;
  message: string;
  /** Everything but pino's bookkeeping (time, pid, hostname, name, service), the message and the error. */
  fields: Record<string, unknown>;
  error?: LoggedError;
}

/** One line a child process wrote, understood. */
export type ChildLine =
  | { kind: 'seed'; table: string; done: number; total: number; record: LogRecord }
  | { kind: 'record'; record: LogRecord }
  | { kind: 'text'; text: string };

const BOOKKEEPING = new Set(['level', 'time', 'pid', 'hostname', 'name', 'service', 'msg', 'err', 'v']);

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Parses a pino JSON line; anything else (a crash trace, a stray console.log) stays text. */
export function parseChildLine(line: string): ChildLine {
  const trimmed = line.trim();
  if (!trimmed.startsWith('{')) return { kind: 'text', text: line };
  let parsed: unknown;
  try {
    parsed = JSON.parse(trimmed);
  } catch {
    return { kind: 'text', text: line };
  }
  if (!isObject(parsed) || typeof parsed.level !== 'number') return { kind: 'text', text: line };

  const fields: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(parsed)) if (!BOOKKEEPING.has(key)) fields[key] = value;
  const record: LogRecord = {
    level: parsed.level,
    message: typeof parsed.msg === 'string' ? parsed.msg : '',
    fields,
    ...(isObject(parsed.err) ? { error: parsed.err as LoggedError } : {}),
  };
  const seed = parsed.seed;
  if (isObject(seed) && typeof seed.table === 'string' && typeof seed.done === 'number' && typeof seed.total === 'number') {
    return { kind: 'seed', table: seed.table, done: seed.done, total: seed.total, record };
  }
  return { kind: 'record', record };
}

function formatValue(value: unknown): string {
  if (typeof value === 'string') return /^[^\s"=]+$/.test(value) ? value : JSON.stringify(value);
  return JSON.stringify(value) ?? String(value);
}

/** Drops fields that only repeat the message, e.g. an env error's `problems` already listed in it. */
function repeatsMessage(value: unknown, message: string): boolean {
  return Array.isArray(value) && value.length > 0 && value.every((item) => typeof item === 'string' && message.includes(item));
}

/** Renders child output as `<name padded> <text>` lines for people. */
export class LineFormatter {
  constructor(
    private readonly nameWidth: number,
    private readonly style: Style = PLAIN,
  ) {}

  prefix(name: string): string {
    return this.style.cyan(name.padEnd(this.nameWidth));
  }

  /** A log record in full: message, extra fields as key=value, and an error's stack indented below. */
  record(name: string, record: LogRecord): string[] {
    const levelName = LEVEL_NAMES[record.level] ?? `level ${record.level}`;
    const label = this.levelLabel(record.level, levelName);
    const [firstLine = '', ...moreLines] = record.message.split('\n');
    const extras = Object.entries(record.fields)
      .filter(([, value]) => !repeatsMessage(value, record.message))
      .map(([key, value]) => `${key}=${formatValue(value)}`);
    const error = record.error;
    // The stack's first line carries the error message already.
    const errorHead = error && !error.stack && !record.message.includes(error.message ?? '') ? error.message : undefined;
    const head = [label, firstLine, errorHead, extras.length > 0 ? this.style.dim(extras.join(' ')) : undefined]
      .filter((part) => part !== undefined && part !== '')
      .join(' ');
    const indent = ' '.repeat(this.nameWidth + 1);
    const lines = [`${this.prefix(name)} ${head}`, ...moreLines.map((line) => `${indent}${line}`)];
    if (error?.stack) {
      lines.push(...error.stack.split('\n').map((line) => `${indent}  ${this.style.dim(line.trim())}`));
    }
    return lines;
  }

  text(name: string, text: string): string {
    return `${this.prefix(name)} ${text}`;
  }

  seeding(name: string, table: string, done: number, total: number): string {
    return `${this.prefix(name)} seeding ${table} ${done}/${total}`;
  }

  ready(name: string, elapsedMs: number, detail?: string): string {
    const seconds = (elapsedMs / 1000).toFixed(1);
    return `${this.prefix(name)} ${this.style.green('ready')} in ${seconds} s${detail ? this.style.dim(` (${detail})`) : ''}`;
  }

  /** Any line a child wrote, as it reads best (used for verbose output and last words after a crash). */
  any(name: string, line: ChildLine): string[] {
    if (line.kind === 'text') return [this.text(name, line.text)];
    return this.record(name, line.record);
  }

  private levelLabel(level: number, name: string): string {
    if (level >= 50) return this.style.red(this.style.bold(name.toUpperCase()));
    if (level >= WARN) return this.style.yellow(this.style.bold(name.toUpperCase()));
    return this.style.dim(name);
  }
}
