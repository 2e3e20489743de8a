/** Outcome of parsing an identifier: the normalised value, or the first rule it breaks. */
export type ParseResult<T> = { ok: true; value: T } | { ok: false; rule: string; message: string };

export function accepted<T>(value: T): ParseResult<T> {
  return { ok: true, value };
}

export function rejected<T>(rule: string, message: string): ParseResult<T> {
  return { ok: false, rule, message };
}
