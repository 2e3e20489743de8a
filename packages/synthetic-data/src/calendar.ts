// Dates as day numbers (days since 1970-01-01 UTC) so random dates are plain integer draws.

function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

// Civil-date arithmetic after Howard Hinnant's days_from_civil / civil_from_days; the generator
// converts dates hundreds of thousands of times, and Date objects made that the slowest part.
export function dayNumberOf(isoDate: string): number {
  const year = Number(isoDate.slice(0, 4));
  const month = Number(isoDate.slice(5, 7));
  const day = Number(isoDate.slice(8, 10));
  const daysInMonth = month === 2 && isLeapYear(year) ? 29 : (DAYS_IN_MONTH[month - 1] ?? 0);
  if (isoDate.length !== 10 || isoDate[4] !== '-' || isoDate[7] !== '-' || !Number.isInteger(year) || day < 1 || day > daysInMonth) {
    throw new RangeError(`Expected a real YYYY-MM-DD date (got "${isoDate}")`);
  }
  const shiftedYear = month <= 2 ? year - 1 : year;
  const era = Math.floor(shiftedYear / 400);
  const yearOfEra = shiftedYear - era * 400;
  const dayOfYear = Math.floor((153 * (month + (month > 2 ? -3 : 9)) + 2) / 5) + day - 1;
  const dayOfEra = yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear;
  return era * 146097 + dayOfEra - 719468;
}

export function isoDateOfDay(dayNumber: number): string {
  const shifted = dayNumber + 719468;
  const era = Math.floor(shifted / 146097);
  const dayOfEra = shifted - era * 146097;
  const yearOfEra = Math.floor((dayOfEra - Math.floor(dayOfEra / 1460) + Math.floor(dayOfEra / 36524) - Math.floor(dayOfEra / 146096)) / 365);
  const dayOfYear = dayOfEra - (365 * yearOfEra + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100));
  const monthIndex = Math.floor((5 * dayOfYear + 2) / 153);
  const day = dayOfYear - Math.floor((153 * monthIndex + 2) / 5) + 1;
  const month = monthIndex < 10 ? monthIndex + 3 : monthIndex - 9;
  const year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0);
  return `${String(year).padStart(4, '0')}-${month < 10 ? '0' : ''}${month}-${day < 10 ? '0' : ''}${day}`;
}

export function yearOf(isoDate: string): number {
  return Number(isoDate.slice(0, 4));
}

/** Same calendar day `years` later (29 February becomes 28 February in common years). */
export function addYears(isoDate: string, years: number): string {
  const year = yearOf(isoDate) + years;
  const monthDay = isoDate.slice(5);
  return `${String(year).padStart(4, '0')}-${monthDay === '02-29' && !isLeapYear(year) ? '02-28' : monthDay}`;
}

/** Whole years from `birthDate` to `onDate`. */
export function ageOn(birthDate: string, onDate: string): number {
  const years = yearOf(onDate) - yearOf(birthDate);
  return onDate.slice(5) < birthDate.slice(5) ? years - 1 : years;
}

const ROMAN_MONTHS = ['I', 'II', 'III', 'IV', 'V', 'VI', 'VII', 'VIII', 'IX', 'X', 'XI', 'XII'];

export function romanMonthOf(isoDate: string): string {
  return ROMAN_MONTHS[Number(isoDate.slice(5, 7)) - 1] ?? 'I';
}
