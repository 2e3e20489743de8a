// Small date helpers shared by the parsers. Dates are ISO `YYYY-MM-DD` strings, compared in UTC.

export function padNumber(value: number, width: number): string {
  return String(value).padStart(width, '0');
}

export function isRealDate(year: number, month: number, day: number): boolean {
  if (month < 1 || month > 12 || day < 1) return false;
  const daysInMonth = new Date(Date.UTC(year, month, 0)).getUTCDate();
  return day <= daysInMonth;
}

export function toIsoDate(year: number, month: number, day: number): string {
  return `${padNumber(year, 4)}-${padNumber(month, 2)}-${padNumber(day, 2)}`;
}

export function isoDateOf(date: Date): string {
  return toIsoDate(date.getUTCFullYear(), date.getUTCMonth() + 1, date.getUTCDate());
}

/**
 * Expands a two-digit year the way Dukcapil numbers are read: a year not after this year's two
 * digits is in this century, anything later is in the previous one.
 */
export function expandTwoDigitYear(twoDigitYear: number, today: Date): number {
  const currentYear = today.getUTCFullYear();
  const currentCentury = currentYear - (currentYear % 100);
  return twoDigitYear <= currentYear % 100 ? currentCentury + twoDigitYear : currentCentury - 100 + twoDigitYear;
}

export function firstNonDigit(text: string): { character: string; position: number } | undefined {
  const index = text.search(/\D/);
  if (index < 0) return undefined;
  return { character: text.charAt(index), position: index + 1 };
}

/** Indonesia's zones: WIB (UTC+7), WITA (UTC+8, Bali's MPPs), WIT (UTC+9). */
export type IndonesianTimeZone = 'Asia/Jakarta' | 'Asia/Pontianak' | 'Asia/Makassar' | 'Asia/Jayapura';

const dateFormats = new Map<IndonesianTimeZone, Intl.DateTimeFormat>();

/**
 * The calendar date at `now` in Indonesia, `YYYY-MM-DD`: in WIB unless an office's own zone is given
 * (the MPPs of Badung keep WITA).
 */
export function indonesianDate(now: Date, timeZone: IndonesianTimeZone = 'Asia/Jakarta'): string {
  let format = dateFormats.get(timeZone);
  if (!format) {
    // en-CA writes dates as YYYY-MM-DD.
    format = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' });
    dateFormats.set(timeZone, format);
  }
  return format.format(now);
}

/** What a task handler dates its decisions by: the civil date, `YYYY-MM-DD`. */
export interface CivilClock {
  today(): string;
}

/**
 * The one clock of task handlers: the civil date in Asia/Jakarta (WIB) at `now`. A document issued
 * at an MPP carries Indonesia's date, not UTC's: between 00:00 and 07:00 WIB the two differ, and a
 * NIB or passport dated the day before it was issued would be wrong on paper. `now` is the test seam.
 */
export function jakartaClock(now: () => Date = () => new Date()): CivilClock {
  return { today: () => indonesianDate(now()) };
}

/** Full years of age on `date` of someone born on `birthDate` (both ISO `YYYY-MM-DD`). */
export function ageOn(birthDate: string, date: string): number {
  const years = Number(date.slice(0, 4)) - Number(birthDate.slice(0, 4));
  return date.slice(5) < birthDate.slice(5) ? years - 1 : years;
}
