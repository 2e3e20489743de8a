import { LEGAL_BASES, parsePurpose } from './purpose';

describe('parsePurpose', () => {
  it('reads an application id, lower-cased', () => {
    expect(parsePurpose('application:0195F3A2-7C1D-7E4B-9A0B-1C2D3E4F5A6B')).toEqual({
      ok: true,
      purpose: { kind: 'application', applicationId: '0195f3a2-7c1d-7e4b-9a0b-1c2d3e4f5a6b', value: 'application:0195f3a2-7c1d-7e4b-9a0b-1c2d3e4f5a6b' },
    });
  });

  it('reads every listed legal basis', () => {
    for (const code of Object.keys(LEGAL_BASES)) {
      expect(parsePurpose(`legal-basis:${code}`)).toEqual({ ok: true, purpose: { kind: 'legal-basis', code, value: `legal-basis:${code}` } });
    }
    expect(Object.keys(LEGAL_BASES)).toEqual(expect.arrayContaining(['PUBLIC_SERVICE_DELIVERY', 'CITIZEN_OWN_DATA_REQUEST', 'AUDIT_OVERSIGHT', 'LEGAL_OBLIGATION']));
  });

  it('names the rule a bad purpose breaks', () => {
    expect(parsePurpose('application:42')).toMatchObject({ ok: false, rule: 'PURPOSE_APPLICATION_ID' });
    expect(parsePurpose('legal-basis:BECAUSE')).toMatchObject({ ok: false, rule: 'PURPOSE_LEGAL_BASIS', message: expect.stringContaining('PUBLIC_SERVICE_DELIVERY') });
    expect(parsePurpose('legal-basis:public_service_delivery')).toMatchObject({ ok: false, rule: 'PURPOSE_LEGAL_BASIS' });
    for (const value of ['', '   ', 'marketing', 'application', 'legal-basis', `legal-basis:${'X'.repeat(200)}`]) {
      expect(parsePurpose(value)).toMatchObject({ ok: false });
    }
    expect(parsePurpose('curiosity')).toMatchObject({ ok: false, rule: 'PURPOSE_FORMAT' });
  });
});
