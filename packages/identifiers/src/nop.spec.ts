import { formatNop, parseNop } from './nop';

describe('parseNop', () => {
  const expected = {
    nop: '140801000100500120',
    provinceCode: '14',
    regencyCode: '1408',
    districtCode: '1408010',
    villageCode: '1408010001',
    block: '005',
    serial: '0012',
    type: '0',
  };

  it('reads the dotted form', () => {
    expect(parseNop('14.08.010.001.005.0012.0')).toEqual({ ok: true, value: expected });
  });

  it('reads 18 plain digits', () => {
    expect(parseNop(' 140801000100500120 ')).toEqual({ ok: true, value: expected });
  });

  it('rejects characters other than digits and dots', () => {
    expect(parseNop('14-08-010-001-005-0012-0')).toMatchObject({ rule: 'NOP_DIGITS' });
  });

  it('rejects dots in the wrong places', () => {
    expect(parseNop('1408.010.001.005.0012.0')).toMatchObject({ rule: 'NOP_FORMAT' });
    expect(parseNop('14.08.01.0001.005.0012.0')).toMatchObject({ rule: 'NOP_FORMAT' });
  });

  it('rejects other lengths', () => {
    expect(parseNop('14080100010050012')).toEqual({ ok: false, rule: 'NOP_LENGTH', message: 'NOP must be exactly 18 digits (got 17)' });
  });

  it('rejects an unknown province', () => {
    expect(parseNop('99.08.010.001.005.0012.0')).toMatchObject({
      rule: 'NOP_PROVINCE',
      message: 'NOP province code 99 is not a province in the Kemendagri region code list',
    });
  });

  it.each([
    ['14.00.010.001.005.0012.0', 'NOP_REGENCY'],
    ['14.08.000.001.005.0012.0', 'NOP_DISTRICT'],
    ['14.08.010.000.005.0012.0', 'NOP_VILLAGE'],
    ['14.08.010.001.000.0012.0', 'NOP_BLOCK'],
    ['14.08.010.001.005.0000.0', 'NOP_SERIAL'],
  ])('rejects the all-zero segment in %s', (input, rule) => {
    expect(parseNop(input)).toMatchObject({ ok: false, rule });
  });
});

describe('formatNop', () => {
  it('dots 18 digits as PP.RR.DDD.VVV.BBB.SSSS.T', () => {
    expect(formatNop('510301000200300451')).toBe('51.03.010.002.003.0045.1');
  });

  it('refuses anything but 18 digits', () => {
    expect(() => formatNop('51030100020030045')).toThrow(RangeError);
  });
});
