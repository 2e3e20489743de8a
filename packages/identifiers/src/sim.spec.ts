import { parseSimClass, parseSimNumber } from './sim';

describe('parseSimClass', () => {
  it.each([
    ['A', 'A'],
    ['b1', 'B1'],
    ['B I', 'B1'],
    ['B2', 'B2'],
    ['BII', 'B2'],
    [' c ', 'C'],
    ['D', 'D'],
  ])('reads %p as %s', (input, simClass) => {
    expect(parseSimClass(input)).toEqual({ ok: true, value: simClass });
  });

  it('rejects other classes', () => {
    expect(parseSimClass('B3')).toEqual({ ok: false, rule: 'SIM_CLASS', message: 'SIM class must be one of A, B1, B2, C, D (got "B3")' });
    expect(parseSimClass('')).toMatchObject({ rule: 'SIM_CLASS' });
  });
});

describe('parseSimNumber', () => {
  it('accepts 12 digits and the dashed grouping', () => {
    expect(parseSimNumber('058914080012')).toEqual({ ok: true, value: '058914080012' });
    expect(parseSimNumber(' 0589-1408-0012 ')).toEqual({ ok: true, value: '058914080012' });
  });

  it('rejects other separators or characters', () => {
    expect(parseSimNumber('05891-408-0012')).toMatchObject({ rule: 'SIM_FORMAT' });
    expect(parseSimNumber('0589 1408 0012')).toMatchObject({ rule: 'SIM_FORMAT' });
  });

  it('rejects other lengths', () => {
    expect(parseSimNumber('05891408001')).toEqual({ ok: false, rule: 'SIM_LENGTH', message: 'SIM number must be exactly 12 digits (got 11)' });
  });

  it('rejects a birth month outside 01–12', () => {
    expect(parseSimNumber('1389-1408-0012')).toEqual({
      ok: false,
      rule: 'SIM_BIRTH_MONTH',
      message: 'SIM birth month 13 (digits 1–2) is not a month 01–12',
    });
    expect(parseSimNumber('0089-1408-0012')).toMatchObject({ rule: 'SIM_BIRTH_MONTH' });
  });

  it('rejects an all-zero region or serial', () => {
    expect(parseSimNumber('0589-0000-0012')).toMatchObject({ rule: 'SIM_REGION' });
    expect(parseSimNumber('0589-1408-0000')).toMatchObject({ rule: 'SIM_SERIAL' });
  });
});
