import { parseFamilyCardNumber } from './family-card-number';

const today = new Date('2026-01-01T00:00:00Z');

function ruleOf(input: string): string | undefined {
  const result = parseFamilyCardNumber(input, { today });
  return result.ok ? undefined : result.rule;
}

describe('parseFamilyCardNumber', () => {
  it('reads region, issue date and serial', () => {
    expect(parseFamilyCardNumber(' 3510161403180021 ', { today })).toEqual({
      ok: true,
      value: { number: '3510161403180021', regionCode: '351016', issuedOn: '2018-03-14', serial: '0021' },
    });
  });

  it('reads an issue year after this year as last century', () => {
    const result = parseFamilyCardNumber('3271042512990003', { today });
    expect(result.ok && result.value.issuedOn).toBe('1999-12-25');
  });

  it('rejects non-digits and wrong lengths', () => {
    expect(ruleOf('3510-16-140318-0021')).toBe('KK_DIGITS');
    expect(parseFamilyCardNumber('351016140318002', { today })).toEqual({
      ok: false,
      rule: 'KK_LENGTH',
      message: 'KK number must be exactly 16 digits (got 15)',
    });
  });

  it('rejects an unknown province', () => {
    expect(parseFamilyCardNumber('9910161403180021', { today })).toMatchObject({
      rule: 'KK_PROVINCE',
      message: 'KK province code 99 is not a province in the Kemendagri region code list',
    });
  });

  it('rejects a region code without regency or district', () => {
    expect(ruleOf('3500161403180021')).toBe('KK_REGION');
    expect(ruleOf('3510001403180021')).toBe('KK_REGION');
  });

  it('rejects an issue date that does not exist or is in the future', () => {
    expect(parseFamilyCardNumber('3510163102180021', { today })).toMatchObject({
      rule: 'KK_ISSUE_DATE',
      message: 'KK issue date 310218 is not a real date (day 31, month 02)',
    });
    expect(ruleOf('3510164103180021')).toBe('KK_ISSUE_DATE');
    expect(parseFamilyCardNumber('3510160201260021', { today })).toMatchObject({
      rule: 'KK_ISSUE_DATE',
      message: 'KK issue date 2026-01-02 is in the future',
    });
  });

  it('rejects serial 0000', () => {
    expect(ruleOf('3510161403180000')).toBe('KK_SERIAL');
  });
});
