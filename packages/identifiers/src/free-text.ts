import { accepted, rejected, type ParseResult } from './parse-result';

/**
 * The length limits of the free text Simpul accepts, by what the text is. A limit is a promise to
 * every store and screen downstream (a column, an SPM letter, a receipt), so each kind has one.
 */
export const TEXT_LIMITS = {
  /** An MPP office as written on the counter's receipt, e.g. `MPP Banyuwangi`. */
  MPP_OFFICE: 120,
  /** A person's or a business's name. */
  NAME: 200,
  /** A one-line value an application type declares without its own limit. */
  LINE: 500,
} as const;

export type TextLimit = keyof typeof TEXT_LIMITS;

export interface FreeTextOptions {
  /** At most this many characters after normalising (a number, or one of TEXT_LIMITS by name). */
  maxLength: number | TextLimit;
}

// C0 and C1 control characters (U+0000–U+001F, U+007F–U+009F), and the Unicode line/paragraph
// separators. Tab, CR and LF are whitespace that normalising folds into one space.
// eslint-disable-next-line no-control-regex
const CONTROL_CHARACTER = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\u2028\u2029]/u;

/**
 * One line of free text typed by a person: control characters are refused (TEXT_CONTROL_CHARACTER;
 * a NUL byte is what Postgres cannot store, the others are invisible tricks on a receipt or a log),
 * whitespace runs become one space, and the result must be non-empty (TEXT_EMPTY) and within its
 * limit (TEXT_TOO_LONG). Every free-text input of Simpul goes through this.
 */
export function parseFreeText(raw: string, options: FreeTextOptions): ParseResult<string> {
  const maxLength = typeof options.maxLength === 'number' ? options.maxLength : TEXT_LIMITS[options.maxLength];
  const control = CONTROL_CHARACTER.exec(raw);
  if (control) {
    const code = control[0].codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0');
    return rejected('TEXT_CONTROL_CHARACTER', `must not contain control characters (found U+${code} at position ${control.index + 1})`);
  }
  const text = raw.trim().replace(/\s+/g, ' ');
  if (text === '') return rejected('TEXT_EMPTY', 'must not be empty');
  if (text.length > maxLength) return rejected('TEXT_TOO_LONG', `must be at most ${maxLength} characters (got ${text.length})`);
  return accepted(text);
}
