import { firstNonDigit } from './calendar-date';
import { accepted, rejected, type ParseResult } from './parse-result';

/** Parses a NIB (Nomor Induk Berusaha) issued through OSS: 13 digits. */
export function parseNib(input: string): ParseResult<string> {
  const nib = input.trim();
  const nonDigit = firstNonDigit(nib);
  if (nonDigit) {
    return rejected('NIB_DIGITS', `NIB must contain only digits (found "${nonDigit.character}" at position ${nonDigit.position})`);
  }
  if (nib.length !== 13) {
    return rejected('NIB_LENGTH', `NIB must be exactly 13 digits (got ${nib.length})`);
  }
  return accepted(nib);
}
