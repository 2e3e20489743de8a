import { TEXT_LIMITS, parseFreeText } from './free-text';

describe('parseFreeText', () => {
  it('folds whitespace runs into one space and trims', () => {
    expect(parseFreeText('  Warung \t Kopi\nSiak  ', { maxLength: 'NAME' })).toEqual({ ok: true, value: 'Warung Kopi Siak' });
  });

  it.each(['Warung\u0000Kopi', 'Warung\u0007Kopi', 'Warung\u001BKopi', 'Warung\u007FKopi', 'Warung\u0085Kopi', 'Warung\u2028Kopi'])(
    'refuses a control character (%j) with TEXT_CONTROL_CHARACTER, naming it',
    (raw) => {
      const result = parseFreeText(raw, { maxLength: 'NAME' });
      expect(result).toMatchObject({ ok: false, rule: 'TEXT_CONTROL_CHARACTER' });
      expect(!result.ok && result.message).toMatch(/U\+[0-9A-F]{4} at position 7/);
    },
  );

  it('refuses empty text and text over its named limit', () => {
    expect(parseFreeText(' \n ', { maxLength: 10 })).toMatchObject({ ok: false, rule: 'TEXT_EMPTY' });
    expect(parseFreeText('x'.repeat(TEXT_LIMITS.MPP_OFFICE + 1), { maxLength: 'MPP_OFFICE' })).toMatchObject({ ok: false, rule: 'TEXT_TOO_LONG' });
    expect(parseFreeText('x'.repeat(TEXT_LIMITS.MPP_OFFICE), { maxLength: 'MPP_OFFICE' })).toMatchObject({ ok: true });
  });

  it('keeps letters of every script', () => {
    expect(parseFreeText('Kedai Kopi Ñoño 咖啡', { maxLength: 'NAME' })).toEqual({ ok: true, value: 'Kedai Kopi Ñoño 咖啡' });
  });
});
