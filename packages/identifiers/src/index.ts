export type { ParseResult } from './parse-result';
export { PROVINCES, MPP_REGENCIES, PLATE_REGION_PREFIXES, isListedDistrict, isListedRegency, type RegencyInfo, type District } from './regions';
export { parseNik, formatNikBirthSegment, type ParsedNik, type NikParseOptions, type Sex } from './nik';
export {
  parseFamilyCardNumber,
  type ParsedFamilyCardNumber,
  type FamilyCardNumberParseOptions,
} from './family-card-number';
export { parseNpwp, formatNpwp, npwpCheckDigit, type ParsedNpwp, type NpwpParseOptions } from './npwp';
export { parseNib } from './nib';
export { parseNop, formatNop, type ParsedNop } from './nop';
export { parsePlateNumber, type ParsedPlateNumber } from './plate-number';
export { parseSimClass, parseSimNumber, SIM_CLASSES, type SimClass } from './sim';
export { parsePassportNumber } from './passport-number';
export { parseUuid } from './uuid';
export { ageOn, indonesianDate, jakartaClock, type CivilClock, type IndonesianTimeZone } from './calendar-date';
export { familyCardNumberInput, isoDateInput, nikInput, parsedNikInput, passportNumberInput, plateNumberInput } from './zod-inputs';
export { parseFreeText, TEXT_LIMITS, type FreeTextOptions, type TextLimit } from './free-text';
