import type { ApplicationTaskState } from '@simpul/events';
import { DEFAULT_SERVICE_CATALOGUE_PATH, loadServiceCatalogue } from '../catalogue/service-catalogue';
import { applyReport, planProgress } from './task-progress';

const catalogue = loadServiceCatalogue(DEFAULT_SERVICE_CATALOGUE_PATH);
const businessStart = catalogue.applicationTypes.get('BUSINESS_START')!;
const vehicleRenewal = catalogue.applicationTypes.get('VEHICLE_ANNUAL_RENEWAL')!;

const states = (entries: Record<string, ApplicationTaskState>) => new Map(Object.entries(entries));
const ids = (plan: ReturnType<typeof planProgress>) => ({ release: plan.release.map((s) => s.id), cancel: plan.cancel.map((s) => s.id) });

describe('planProgress (fan-out plan)', () => {
  it('releases the steps without dependencies of a new application', () => {
    const pending = states({ 'issue-nib': 'PENDING', 'register-npwp': 'PENDING', 'open-business-account': 'PENDING', 'connect-electricity': 'PENDING' });
    expect(ids(planProgress(businessStart.orderedSteps, pending))).toEqual({ release: ['issue-nib'], cancel: [] });
  });

  it('releases nothing while a dependency is only received or in review', () => {
    for (const state of ['ASSIGNED', 'RECEIVED', 'IN_REVIEW'] as const) {
      const current = states({ 'issue-nib': state, 'register-npwp': 'PENDING', 'open-business-account': 'PENDING', 'connect-electricity': 'PENDING' });
      expect(ids(planProgress(businessStart.orderedSteps, current))).toEqual({ release: [], cancel: [] });
    }
  });

  it('releases the parallel steps once the NIB is approved', () => {
    const current = states({ 'issue-nib': 'APPROVED', 'register-npwp': 'PENDING', 'open-business-account': 'PENDING', 'connect-electricity': 'PENDING' });
    expect(ids(planProgress(businessStart.orderedSteps, current))).toEqual({
      release: ['register-npwp', 'open-business-account', 'connect-electricity'],
      cancel: [],
    });
  });

  it('cancels every step downstream of a rejection, through the chain', () => {
    const current = states({ 'collect-vehicle-tax': 'REJECTED', 'record-vehicle-tax-payment': 'PENDING', 'validate-stnk': 'PENDING' });
    expect(ids(planProgress(vehicleRenewal.orderedSteps, current))).toEqual({ release: [], cancel: ['record-vehicle-tax-payment', 'validate-stnk'] });
  });

  it('leaves steps that were already released alone', () => {
    const current = states({ 'issue-nib': 'APPROVED', 'register-npwp': 'REJECTED', 'open-business-account': 'ASSIGNED', 'connect-electricity': 'APPROVED' });
    expect(ids(planProgress(businessStart.orderedSteps, current))).toEqual({ release: [], cancel: [] });
  });
});

describe('applyReport', () => {
  it.each([
    ['ASSIGNED', 'RECEIVED'],
    ['ASSIGNED', 'APPROVED'],
    ['RECEIVED', 'IN_REVIEW'],
    ['IN_REVIEW', 'REJECTED'],
  ] as const)('moves %s forward to %s', (current, reported) => {
    expect(applyReport(current, reported)).toEqual({ applied: true });
  });

  it.each([
    ['IN_REVIEW', 'RECEIVED', 'STALE'],
    ['RECEIVED', 'RECEIVED', 'STALE'],
    ['APPROVED', 'APPROVED', 'FINAL'],
    ['APPROVED', 'REJECTED', 'FINAL'],
    ['REJECTED', 'APPROVED', 'FINAL'],
    ['PENDING', 'APPROVED', 'NOT_ASSIGNED'],
    ['CANCELLED', 'RECEIVED', 'NOT_ASSIGNED'],
  ] as const)('ignores %s → %s (%s)', (current, reported, reason) => {
    expect(applyReport(current, reported)).toEqual({ applied: false, reason });
  });
});
