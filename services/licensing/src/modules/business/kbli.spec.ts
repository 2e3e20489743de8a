import { generateWorld } from '@simpul/synthetic-data';
import { KBLI_ACTIVITIES, KBLI_SECTIONS, lookUpKbli } from './kbli';

describe('lookUpKbli', () => {
  it('knows every activity of the businesses already registered, with the same title and risk tier', () => {
    const world = generateWorld({ citizens: 2_000, seed: 7 });
    for (const business of world.businesses) {
      expect(lookUpKbli(business.kbli)).toMatchObject({ ok: true, activity: { code: business.kbli, title: business.kbliTitle, riskLevel: business.riskLevel } });
    }
  });

  it('finds the section of an activity from its division', () => {
    expect(lookUpKbli(' 56303 ')).toMatchObject({ ok: true, activity: { title: 'Rumah Minum/Kafe' }, section: { letter: 'I' } });
    expect(lookUpKbli('01262')).toMatchObject({ ok: true, section: { letter: 'A' } });
    expect(lookUpKbli('96111')).toMatchObject({ ok: true, section: { letter: 'S' } });
  });

  it.each([
    ['5630', 'KBLI_FORMAT'],
    ['5630A', 'KBLI_FORMAT'],
    ['04111', 'KBLI_DIVISION'],
    ['44100', 'KBLI_DIVISION'],
    ['00001', 'KBLI_DIVISION'],
    ['47999', 'KBLI_UNKNOWN'],
  ])('refuses %s (%s)', (code, rule) => {
    expect(lookUpKbli(code)).toMatchObject({ ok: false, rule });
  });

  it('lists sections A–U in division order, without overlaps', () => {
    expect(KBLI_SECTIONS.map((s) => s.letter).join('')).toBe('ABCDEFGHIJKLMNOPQRSTU');
    for (let i = 1; i < KBLI_SECTIONS.length; i++) expect(KBLI_SECTIONS[i]!.divisions[0]).toBeGreaterThan(KBLI_SECTIONS[i - 1]!.divisions[1]);
    for (const code of KBLI_ACTIVITIES.keys()) expect(lookUpKbli(code).ok).toBe(true);
  });
});
