import type { Random } from './random';

/** Hands out serial numbers 1, 2, 3… per prefix, e.g. the last four digits of NIKs sharing a region and birth date. */
export class SerialCounter {
  private readonly lastSerialByPrefix = new Map<string, number>();

  next(prefix: string, width: number): string {
    const serial = (this.lastSerialByPrefix.get(prefix) ?? 0) + 1;
    if (serial >= 10 ** width) throw new RangeError(`Serial numbers under ${prefix} are exhausted`);
    this.lastSerialByPrefix.set(prefix, serial);
    return String(serial).padStart(width, '0');
  }
}

export function randomDigits(random: Random, length: number): string {
  let digits = '';
  for (let index = 0; index < length; index += 1) digits += String(random.int(0, 9));
  return digits;
}

/** Draws until the value is not yet in `taken`, then records it. */
export function drawUnique(taken: Set<string>, draw: () => string): string {
  for (let attempt = 0; attempt < 10_000; attempt += 1) {
    const value = draw();
    if (!taken.has(value)) {
      taken.add(value);
      return value;
    }
  }
  throw new RangeError('Could not draw a unique value; the number space is exhausted');
}
