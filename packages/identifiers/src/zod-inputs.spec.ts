import { z } from 'zod';
import { parseNik } from './nik';
import { parsePlateNumber } from './plate-number';
import { nikInput, plateNumberInput } from './zod-inputs';

function messageOf<T>(result: { ok: true; value: T } | { ok: false; message: string }): string | undefined {
  return result.ok ? undefined : result.message;
}

describe('identifier task inputs', () => {
  it('gives the NIK trimmed', () => {
    expect(nikInput.parse(' 3271014506880002 ')).toBe('3271014506880002');
  });

  it('gives the plate normalised', () => {
    expect(plateNumberInput.parse('bm1234ab')).toBe('BM 1234 AB');
  });

  it('reports what does not parse at its field, with the parser sentence', () => {
    const schema = z.object({ applicantNik: nikInput, plateNumber: plateNumberInput });
    const result = schema.safeParse({ applicantNik: '3271014506880000', plateNumber: 'F 0234 AB' });
    expect(result.error?.issues.map((issue) => [issue.path.join('.'), issue.message])).toEqual([
      ['applicantNik', messageOf(parseNik('3271014506880000'))],
      ['plateNumber', messageOf(parsePlateNumber('F 0234 AB'))],
    ]);
    expect(result.error?.issues.every((issue) => issue.message.length > 10)).toBe(true);
  });
});
