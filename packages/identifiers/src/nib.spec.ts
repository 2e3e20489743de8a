import { parseNib } from './nib';

describe('parseNib', () => {
  it('accepts 13 digits', () => {
    expect(parseNib(' 9120001234567 ')).toEqual({ ok: true, value: '9120001234567' });
  });

  it('rejects other lengths', () => {
    expect(parseNib('912000123456')).toEqual({ ok: false, rule: 'NIB_LENGTH', message: 'NIB must be exactly 13 digits (got 12)' });
    expect(parseNib('91200012345678')).toMatchObject({ rule: 'NIB_LENGTH' });
  });

  it('rejects non-digits', () => {
    expect(parseNib('912000123456A')).toEqual({
      ok: false,
      rule: 'NIB_DIGITS',
      message: 'NIB must contain only digits (found "A" at position 13)',
    });
  });
});
