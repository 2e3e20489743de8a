import { createHash } from 'node:crypto';
import { DEFAULT_SERVICE_CATALOGUE_PATH, loadServiceCatalogue } from '../catalogue/service-catalogue';
import { buildTaskInputs } from './task-inputs';

const catalogue = loadServiceCatalogue(DEFAULT_SERVICE_CATALOGUE_PATH);
const businessStart = catalogue.applicationTypes.get('BUSINESS_START')!;
const birth = catalogue.applicationTypes.get('BIRTH_REGISTRATION')!;
const NIK = '3510010502900001';
const hashNik = (value: string) => createHash('sha256').update(`test:${value}`).digest('hex');
const values = { businessName: 'Warung Kopi Osing', kbli: '56303', businessAddress: 'Jl. Ahmad Yani 12' };

function inputsOf(type: typeof businessStart, stepId: string, stepValues: Record<string, string>, issuedDocuments = [] as { kind: string; number: string }[]) {
  const step = type.stepsById.get(stepId)!;
  return buildTaskInputs({ type, step, participant: catalogue.participants.get(step.participant)!, applicantNik: NIK, values: stepValues, issuedDocuments, hashNik });
}

describe('buildTaskInputs', () => {
  it('gives an entitled agency the plaintext NIK and the step inputs, leaving absent optional inputs out', () => {
    expect(inputsOf(businessStart, 'issue-nib', values)).toEqual({ applicantNik: NIK, businessName: 'Warung Kopi Osing', kbli: '56303', businessAddress: 'Jl. Ahmad Yani 12' });
  });

  it('gives a bank only the hash of the NIK, and the documents the steps before issued', () => {
    const inputs = inputsOf(businessStart, 'open-business-account', values, [{ kind: 'NIB', number: '8120001234567' }]);
    expect(inputs).toEqual({ applicantNikHash: hashNik(NIK), businessName: 'Warung Kopi Osing', issuedDocuments: [{ kind: 'NIB', number: '8120001234567' }] });
    expect(JSON.stringify(inputs)).not.toContain(NIK);
  });

  it('hashes every 16-digit civil-registry number for a participant not entitled to the NIK', () => {
    const inputs = inputsOf(businessStart, 'connect-electricity', values, [{ kind: 'NPWP', number: NIK }]);
    expect(inputs).toEqual({ applicantNikHash: hashNik(NIK), businessAddress: 'Jl. Ahmad Yani 12', issuedDocuments: [{ kind: 'NPWP', numberHash: hashNik(NIK) }] });
  });

  it('passes the KK number and the mother NIK to BPJS Kesehatan, which is entitled', () => {
    const birthValues = { familyCardNumber: '3510012001150003', motherNik: '3510015407920002', childName: 'Ayu', childBirthDate: '2026-03-01' };
    expect(inputsOf(birth, 'enrol-health-insurance', birthValues)).toEqual(birthValues);
  });
});
