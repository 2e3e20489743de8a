import { ddmmyy, ddmmyyyy } from './registry-numbers';

describe('registry number date segments', () => {
  it('writes ISO dates as DDMMYY and DDMMYYYY', () => {
    expect(ddmmyy('2026-03-07')).toBe('070326');
    expect(ddmmyyyy('2026-03-07')).toBe('07032026');
  });

  it('refuses what is not an ISO date', () => {
    expect(() => ddmmyy('07-03-2026')).toThrow(RangeError);
  });
});
