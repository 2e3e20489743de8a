import { accepted, rejected, type ParseResult } from './parse-result';

/** Parses an Indonesian passport number: one letter and 7 digits, normalised to upper case. */
export function parsePassportNumber(input: string): ParseResult<string> {
  const passportNumber = input.trim().toUpperCase();
  if (passportNumber.length !== 8) {
    return rejected('PASSPORT_LENGTH', `Passport number must be 8 characters, one letter and 7 digits (got ${passportNumber.length})`);
  }
  if (!/^[A-Z]/.test(passportNumber)) {
    return rejected('PASSPORT_LETTER', 'Passport number must start with a letter A–Z');
  }
  if (!/^[A-Z]\d{7}$/.test(passportNumber)) {
    return rejected('PASSPORT_DIGITS', 'Passport number must end with 7 digits after its letter');
  }
  return accepted(passportNumber);
}
