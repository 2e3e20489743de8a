import { BadUserInputError } from '@simpul/service-kit';
import { PKB_RECEIPT_NUMBER_PATTERN, pkbReceiptNumber, requireValidPlateNumber } from './vehicle-tax.service';

describe('pkbReceiptNumber', () => {
  it('pads the serial to 8 digits after the tax year', () => {
    expect(pkbReceiptNumber(2026, 7)).toBe('PKB/2026/00000007');
    expect(pkbReceiptNumber(2026, 7)).toMatch(PKB_RECEIPT_NUMBER_PATTERN);
  });

  it('refuses a serial that does not fit', () => {
    expect(() => pkbReceiptNumber(2026, 100_000_000)).toThrow(RangeError);
  });
});

describe('requireValidPlateNumber', () => {
  it('normalises the plate', () => {
    expect(requireValidPlateNumber('bm1234ab')).toBe('BM 1234 AB');
  });

  it('rejects a malformed plate as bad input naming the argument and the rule', () => {
    expect(() => requireValidPlateNumber('BM 12345 AB')).toThrow(BadUserInputError);
  });
});
