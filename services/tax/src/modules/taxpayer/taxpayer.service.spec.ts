import { BadUserInputError } from '@simpul/service-kit';
import { displayNpwp, requireValidNpwp } from './taxpayer.service';

describe('displayNpwp', () => {
  it('dots a legacy 15-digit NPWP', () => {
    expect(displayNpwp('012345674123000')).toBe('01.234.567.4-123.000');
  });

  it('leaves a 16-digit NIK-based NPWP as its digits', () => {
    expect(displayNpwp('3510014508900003')).toBe('3510014508900003');
  });
});

describe('requireValidNpwp', () => {
  it('accepts the dotted form and answers the digits as stored', () => {
    expect(requireValidNpwp(displayNpwp('012345674123000'))).toBe('012345674123000');
  });

  it('rejects a malformed NPWP as bad input naming the argument and the rule', () => {
    let thrown: unknown;
    try {
      requireValidNpwp('1234567890123');
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(BadUserInputError);
    expect(thrown).toMatchObject({ code: 'BAD_USER_INPUT', details: { argument: 'npwp', rule: 'NPWP_LENGTH' } });
  });
});
