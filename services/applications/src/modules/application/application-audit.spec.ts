import { AuditUnavailableError, auditNikHash, type AuditBatch, type AuditAppendRequest } from '@simpul/service-kit';
import { DEFAULT_SERVICE_CATALOGUE_PATH, loadServiceCatalogue } from '../catalogue/service-catalogue';
import { applicationCitizens, changedFields, recordOwnChanges } from './application-audit';
import { applyTaskReport, startApplication, type FlowChange, type TaskReport } from './application-flow';

const catalogue = loadServiceCatalogue(DEFAULT_SERVICE_CATALOGUE_PATH);
const businessStart = catalogue.applicationTypes.get('BUSINESS_START')!;
const marriage = catalogue.applicationTypes.get('MARRIAGE_REGISTRATION')!;
const birth = catalogue.applicationTypes.get('BIRTH_REGISTRATION')!;
const APPLICANT = '3510011203850001';
const GROOM = '3510010502900001';
const BRIDE = '3510015407920002';
const PEPPER = 'pepper-of-the-application-audit-spec';
const T0 = new Date('2026-03-02T01:00:00Z');

function start() {
  let next = 0;
  return startApplication(businessStart, T0, () => `task-${++next}`);
}
const report = (change: FlowChange, stepId: string, status: TaskReport['status'], extra: Partial<TaskReport> = {}): TaskReport => ({
  taskId: change.tasks.find((t) => t.stepId === stepId)!.id,
  status,
  documents: [],
  ...extra,
});

describe('applicationCitizens', () => {
  it('is the applicant, then every citizen a NIK input names, each once', () => {
    expect(applicationCitizens(marriage, APPLICANT, { groomNik: GROOM, brideNik: BRIDE, marriageDate: '2026-04-10' })).toEqual([APPLICANT, GROOM, BRIDE]);
    expect(applicationCitizens(marriage, GROOM, { groomNik: GROOM, brideNik: BRIDE })).toEqual([GROOM, BRIDE]);
  });

  it('leaves out identifiers that are not a citizen’s NIK, and optional NIKs not given', () => {
    const inputs = { motherNik: BRIDE, familyCardNumber: '3510010101200001', childName: 'Ayu' };
    expect(applicationCitizens(birth, APPLICANT, inputs)).toEqual([APPLICANT, BRIDE]);
  });

  it('is the applicant alone when the catalogue no longer lists the type', () => {
    expect(applicationCitizens(undefined, APPLICANT, { groomNik: GROOM })).toEqual([APPLICANT]);
  });
});

describe('changedFields', () => {
  it('names what a first report changes: the task status, the application status and the timeline', () => {
    const submitted = start();
    const received = applyTaskReport(businessStart, submitted, report(submitted, 'issue-nib', 'RECEIVED'), T0);
    expect(changedFields(submitted.tasks, received)).toEqual(['Application.status', 'Application.timeline', 'ApplicationTask.status']);
  });

  it('adds the documents, the completion and the SLA times of the steps an approval releases', () => {
    const submitted = start();
    const received = applyTaskReport(businessStart, submitted, report(submitted, 'issue-nib', 'RECEIVED'), T0);
    const approved = applyTaskReport(businessStart, received, report(received, 'issue-nib', 'APPROVED', { documents: [{ kind: 'NIB', number: '8120001234567' }] }), T0);
    expect(changedFields(received.tasks, approved)).toEqual([
      'Application.timeline',
      'ApplicationTask.assignedAt',
      'ApplicationTask.completedAt',
      'ApplicationTask.documents',
      'ApplicationTask.dueAt',
      'ApplicationTask.status',
    ]);
  });

  it('names the reason of a rejection and of the tasks it cancels', () => {
    const submitted = start();
    const rejected = applyTaskReport(businessStart, submitted, report(submitted, 'issue-nib', 'REJECTED', { reason: 'KBLI not allowed here' }), T0);
    expect(changedFields(submitted.tasks, rejected)).toEqual([
      'Application.status',
      'Application.timeline',
      'ApplicationTask.completedAt',
      'ApplicationTask.reason',
      'ApplicationTask.status',
    ]);
  });

  it('is empty for a report that does not apply', () => {
    const submitted = start();
    const late = applyTaskReport(businessStart, submitted, report(submitted, 'register-npwp', 'APPROVED'), T0);
    expect(late.outcome.applied).toBe(false);
    expect(changedFields(submitted.tasks, late)).toEqual([]);
  });
});

describe('recordOwnChanges', () => {
  const application = { id: '0195a1b2-0000-7000-8000-000000000001', applicantNik: APPLICANT, inputs: { groomNik: GROOM, brideNik: BRIDE } };
  const change = { application, type: marriage, fields: ['Application.status', 'ApplicationTask.status'] as const, correlationId: 'corr-7', occurredAt: T0 };

  it('appends one CHANGE record per citizen, as the service account acting for the application', async () => {
    const appended: { batch: AuditBatch; request: AuditAppendRequest }[] = [];
    await recordOwnChanges({ sink: { append: async (batch, request) => void appended.push({ batch, request }) }, nikHashPepper: PEPPER }, change);
    expect(appended).toEqual([
      {
        batch: {
          service: 'applications',
          records: [APPLICANT, GROOM, BRIDE].map((nik) => ({
            actor: 'service:applications',
            actorType: 'client',
            client: 'simpul-applications',
            roles: [],
            purpose: `application:${application.id}`,
            nikHash: auditNikHash(nik, PEPPER),
            fields: ['Application.status', 'ApplicationTask.status'],
            kind: 'CHANGE',
            correlationId: 'corr-7',
            occurredAt: T0.toISOString(),
          })),
        },
        request: { correlationId: 'corr-7' },
      },
    ]);
  });

  it('rejects when the audit log does not confirm, and records nothing without an audit log or without a change', async () => {
    const down = { sink: { append: async () => Promise.reject(new AuditUnavailableError('down')) }, nikHashPepper: PEPPER };
    await expect(recordOwnChanges(down, change)).rejects.toBeInstanceOf(AuditUnavailableError);
    await expect(recordOwnChanges(undefined, change)).resolves.toBeUndefined();
    await expect(recordOwnChanges(down, { ...change, fields: [] })).resolves.toBeUndefined();
  });
});
