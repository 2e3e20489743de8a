import { DEFAULT_SERVICE_CATALOGUE_PATH, loadServiceCatalogue } from '../catalogue/service-catalogue';
import { validateApplicationInputs, type GivenInput } from './application-inputs';

const catalogue = loadServiceCatalogue(DEFAULT_SERVICE_CATALOGUE_PATH);
const type = (code: string) => catalogue.applicationTypes.get(code)!;
const TODAY = new Date('2026-03-02T03:00:00Z');
// Banyuwangi (35.10): a man born 1990-02-05 and a woman born 1992-07-14 (day + 40).
const MAN = '3510010502900001';
const WOMAN = '3510015407920002';

function validate(code: string, inputs: GivenInput[], applicantNik = MAN, mppOffice = 'MPP Banyuwangi') {
  return validateApplicationInputs(type(code), { applicantNik, mppOffice, inputs }, TODAY);
}

const businessStart: GivenInput[] = [
  { name: 'businessName', value: '  Warung   Kopi Osing ' },
  { name: 'kbli', value: '56303' },
  { name: 'businessAddress', value: 'Jl. Ahmad Yani 12, Banyuwangi' },
];

describe('validateApplicationInputs', () => {
  it('accepts and normalises valid inputs; absent optional inputs are left out', () => {
    expect(validate('BUSINESS_START', businessStart)).toEqual({
      ok: true,
      applicantNik: MAN,
      mppOffice: 'MPP Banyuwangi',
      values: { businessName: 'Warung Kopi Osing', kbli: '56303', businessAddress: 'Jl. Ahmad Yani 12, Banyuwangi' },
    });
    const renewal = validate('VEHICLE_ANNUAL_RENEWAL', [{ name: 'plateNumber', value: 'p1234ab' }]);
    expect(renewal).toMatchObject({ ok: true, values: { plateNumber: 'P 1234 AB' } });
  });

  it('names the field and the identifier rule of a malformed NIK', () => {
    const result = validate('MARRIAGE_REGISTRATION', [
      { name: 'groomNik', value: MAN },
      { name: 'brideNik', value: '351001540792' },
      { name: 'marriageDate', value: '2026-04-10' },
    ]);
    expect(result).toEqual({ ok: false, problems: [{ field: 'inputs.brideNik', rule: 'NIK_LENGTH', message: expect.stringMatching(/^Bride's NIK: NIK must be exactly 16 digits/) }] });
  });

  it('refuses a malformed applicant NIK and a blank MPP office', () => {
    const result = validate('BUSINESS_START', businessStart, '9910010502900001', ' ');
    expect(result.ok).toBe(false);
    expect(!result.ok && result.problems.map((p) => [p.field, p.rule])).toEqual([
      ['applicantNik', 'NIK_PROVINCE'],
      ['mppOffice', 'TEXT_EMPTY'],
    ]);
  });

  it('reports every missing, unknown, duplicate and malformed input at once', () => {
    const result = validate('BUSINESS_START', [
      { name: 'businessName', value: 'Toko' },
      { name: 'businessName', value: 'Toko Lagi' },
      { name: 'kbli', value: '5630' },
      { name: 'npwp', value: '123' },
      { name: 'businessScale', value: 'HUGE' },
    ]);
    expect(!result.ok && result.problems.map((p) => [p.field, p.rule])).toEqual([
      ['inputs.businessName', 'INPUT_DUPLICATE'],
      ['inputs.npwp', 'INPUT_UNKNOWN'],
      ['inputs.kbli', 'KBLI_FORMAT'],
      ['inputs.businessAddress', 'INPUT_REQUIRED'],
      ['inputs.businessScale', 'CHOICE_UNKNOWN'],
    ]);
  });

  it('checks dates: real, and not in the future where the catalogue says so', () => {
    const birth = (childBirthDate: string) =>
      validate(
        'BIRTH_REGISTRATION',
        [
          { name: 'childName', value: 'Ayu Lestari' },
          { name: 'childSex', value: 'FEMALE' },
          { name: 'childBirthDate', value: childBirthDate },
          { name: 'birthPlace', value: 'Banyuwangi' },
          { name: 'motherNik', value: WOMAN },
          { name: 'familyCardNumber', value: '3510012001150003' },
        ],
        WOMAN,
      );
    expect(birth('2026-03-01')).toMatchObject({ ok: true, values: { childBirthDate: '2026-03-01', familyCardNumber: '3510012001150003' } });
    expect(birth('2026-02-30')).toMatchObject({ ok: false, problems: [{ field: 'inputs.childBirthDate', rule: 'DATE_FORMAT' }] });
    expect(birth('01-03-2026')).toMatchObject({ ok: false, problems: [{ field: 'inputs.childBirthDate', rule: 'DATE_FORMAT' }] });
    expect(birth('2026-03-03')).toMatchObject({ ok: false, problems: [{ field: 'inputs.childBirthDate', rule: 'DATE_IN_FUTURE' }] });
  });

  it('refuses the same person on both sides of a marriage', () => {
    const result = validate('MARRIAGE_REGISTRATION', [
      { name: 'groomNik', value: MAN },
      { name: 'brideNik', value: ` ${MAN}` },
      { name: 'marriageDate', value: '2026-04-10' },
    ]);
    expect(result).toEqual({ ok: false, problems: [{ field: 'inputs.brideNik', rule: 'INPUTS_NOT_DISTINCT', message: 'brideNik must differ from groomNik' }] });
  });

  it('refuses text longer than the catalogue allows', () => {
    const result = validate('BUSINESS_START', [...businessStart.slice(1), { name: 'businessName', value: 'x'.repeat(121) }]);
    expect(result).toMatchObject({ ok: false, problems: [{ field: 'inputs.businessName', rule: 'TEXT_TOO_LONG' }] });
  });

  it('refuses control characters in free text (a NUL byte Postgres cannot store) with TEXT_CONTROL_CHARACTER', () => {
    const result = validate('BUSINESS_START', [...businessStart.slice(1), { name: 'businessName', value: 'Warung\u0000Kopi' }], MAN, 'MPP\u0000Banyuwangi');
    expect(!result.ok && result.problems.map((p) => [p.field, p.rule])).toEqual([
      ['mppOffice', 'TEXT_CONTROL_CHARACTER'],
      ['inputs.businessName', 'TEXT_CONTROL_CHARACTER'],
    ]);
  });

  it('refuses an applicant NIK whose district Kemendagri does not list (NIK_REGION)', () => {
    const result = validate('BUSINESS_START', businessStart, '3510990502900001');
    expect(!result.ok && result.problems.map((p) => [p.field, p.rule])).toEqual([['applicantNik', 'NIK_REGION']]);
  });
});
