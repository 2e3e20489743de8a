import { parseUuid } from './uuid';

describe('parseUuid', () => {
  it('accepts a canonical UUID and lower-cases it', () => {
    expect(parseUuid('3F2504E0-4F89-11D3-9A0C-0305E82C3301')).toEqual({ ok: true, value: '3f2504e0-4f89-11d3-9a0c-0305e82c3301' });
  });

  it.each([
    ['empty', ''],
    ['too short', '3f2504e0-4f89-11d3-9a0c-0305e82c330'],
    ['without hyphens', '3f2504e04f8911d39a0c0305e82c3301'],
    ['in braces', '{3f2504e0-4f89-11d3-9a0c-0305e82c3301}'],
    ['with a non-hex digit', '3f2504e0-4f89-11d3-9a0c-0305e82c330g'],
    ['with surrounding text', ' 3f2504e0-4f89-11d3-9a0c-0305e82c3301'],
  ])('rejects a value %s with rule UUID', (_, value) => {
    expect(parseUuid(value)).toMatchObject({ ok: false, rule: 'UUID' });
  });
});
