// Exercises every parser through the package entry point, as services import it.
import * as identifiers from '../src';

const today = new Date('2026-01-01T00:00:00Z');

const parsers: [name: string, parse: (input: string) => identifiers.ParseResult<unknown>, valid: string, invalid: string, rulePrefix: string][] = [
  ['NIK', (input) => identifiers.parseNik(input, { today }), '3271014506880002', '3271014506880000', 'NIK_'],
  ['KK', (input) => identifiers.parseFamilyCardNumber(input, { today }), '3271010302150001', '3271010302150000', 'KK_'],
  ['NPWP', (input) => identifiers.parseNpwp(input, { today }), '01.312.166.0-091.000', '01.312.166.9-091.000', 'NPWP_'],
  ['NIB', identifiers.parseNib, '8120012345678', '81200123456', 'NIB_'],
  ['NOP', identifiers.parseNop, '32.71.010.002.003.0045.0', '32.71.010.002.003.0000.0', 'NOP_'],
  ['plate', identifiers.parsePlateNumber, 'F 1234 AB', 'F 0234 AB', 'PLATE_'],
  ['SIM class', identifiers.parseSimClass, 'B1', 'B3', 'SIM_'],
  ['SIM number', identifiers.parseSimNumber, '0688-3271-0001', '0688-3271-0000', 'SIM_'],
  ['passport', identifiers.parsePassportNumber, 'B1234567', 'B123456', 'PASSPORT_'],
];

describe.each(parsers)('%s parser from the package entry', (_name, parse, valid, invalid, rulePrefix) => {
  it('accepts a valid example', () => {
    expect(parse(valid).ok).toBe(true);
  });

  it('rejects with a rule code of its own identifier and a sentence', () => {
    const result = parse(invalid);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.rule.startsWith(rulePrefix)).toBe(true);
    expect(result.message).toMatch(/^[A-Z].{10,}/);
  });
});
