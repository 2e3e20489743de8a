import { SCENARIOS, selectScenarios } from '.';

describe('selectScenarios', () => {
  it('runs every scenario but the opt-in startup one when none is named, in order', () => {
    expect(selectScenarios([]).map((scenario) => scenario.id)).toEqual(['unified-citizen', 'verify-citizen', 'audit-append', 'fan-out']);
  });

  it('runs an opt-in scenario when it is named, and the named ones in the order given', () => {
    expect(selectScenarios(['startup', 'audit-append']).map((scenario) => scenario.id)).toEqual(['startup', 'audit-append']);
    expect(SCENARIOS.find((scenario) => scenario.id === 'startup')?.optIn).toBe(true);
  });

  it('refuses an unknown scenario, listing the known ones', () => {
    expect(() => selectScenarios(['nope'])).toThrow('unknown scenario "nope"; available: unified-citizen, verify-citizen, audit-append, fan-out, startup');
  });
});
