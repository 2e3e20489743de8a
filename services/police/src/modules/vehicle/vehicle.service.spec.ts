import { BadUserInputError } from '@simpul/service-kit';
import { requireValidPlateNumber } from './vehicle.service';

describe('requireValidPlateNumber', () => {
  it.each([
    ['bm1234ab', 'BM 1234 AB'],
    ['  BM  1234   ab ', 'BM 1234 AB'],
    ['b 1', 'B 1'],
    ['DK 987 ABC', 'DK 987 ABC'],
  ])('normalises %j to %j', (typed, normalised) => {
    expect(requireValidPlateNumber(typed)).toBe(normalised);
  });

  it('rejects a malformed plate as bad input naming the argument and the rule', () => {
    let thrown: unknown;
    try {
      requireValidPlateNumber('BM 12345 AB', 'plate');
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(BadUserInputError);
    expect(thrown).toMatchObject({ code: 'BAD_USER_INPUT', details: { argument: 'plate', rule: 'PLATE_NUMBER' } });
  });
});
