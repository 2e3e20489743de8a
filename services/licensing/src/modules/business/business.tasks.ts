import { randomInt } from 'node:crypto';
import { approvingOnce, parseTaskInputs, type TaskClock, type TaskDecision, type TaskHandler } from '@simpul/events';
import { jakartaClock, nikInput } from '@simpul/identifiers';
import { changesOf, reportReads, type AuditField, type Transaction } from '@simpul/service-kit';
import { z } from 'zod';
import { businessScaleEnum, taskApprovals, type BusinessRow, type LicensingSchema } from '../../db/schema';
import { findActiveBusinessNamed, insertBusinessIfNibFree, lockOwner } from './business.repository';
import { lookUpKbli } from './kbli';


/** ISSUE_NIB inputs (catalogue BUSINESS_START): the applications service validated them on submission. */
export const issueNibInputsSchema = z.object({
  applicantNik: nikInput,
  businessName: z.string().trim().min(1).max(120),
  kbli: z.string().trim().regex(/^\d{5}$/, 'must be a 5-digit KBLI 2020 code'),
  businessAddress: z.string().trim().min(1).max(200),
  businessScale: z.enum(businessScaleEnum.enumValues).optional(),
});

/** NIBs issued under OSS RBA (since August 2021): 13 digits starting with 1. */
export function drawNib(): string {
  return `1${String(randomInt(0, 1e12)).padStart(12, '0')}`;
}

const NIB_DRAWS = 5;

/** What registering a business creates for its owner, as fields of Business (business.graphql). */
const REGISTERED_BUSINESS_FIELDS: readonly AuditField[] = [
  'Business.nib',
  'Business.name',
  'Business.kbli',
  'Business.kbliTitle',
  'Business.riskLevel',
  'Business.status',
  'Business.issuedOn',
  'Business.owner',
  'Citizen.businesses',
];

function issued(business: BusinessRow): TaskDecision {
  return { status: 'APPROVED', documents: [{ kind: 'NIB', number: business.nib }] };
}

/**
 * ISSUE_NIB: registers the business in OSS and issues its NIB, unless its KBLI is not one OSS
 * registers or the applicant already runs an active business of that name.
 */
export function issueNib(clock: TaskClock): TaskHandler<Transaction<LicensingSchema>> {
  return async (task, tx, audit) => {
    const inputs = parseTaskInputs(task, issueNibInputsSchema);
    const owner = inputs.applicantNik;
    await lockOwner(tx, owner);

    // Refused on the KBLI alone: none of the applicant's data was looked at.
    const kbli = lookUpKbli(inputs.kbli);
    if (!kbli.ok) return { status: 'REJECTED', reason: kbli.message };

    const namesake = await findActiveBusinessNamed(tx, owner, inputs.businessName);
    reportReads(audit, owner, ['Citizen.businesses', 'Business.name', 'Business.status']);
    if (namesake) {
      reportReads(audit, owner, ['Business.nib']);
      return {
        status: 'REJECTED',
        reason: `You already own an active business named "${namesake.name}" (NIB ${namesake.nib}); a second business needs another name.`,
      };
    }

    await audit.recordChanges(changesOf(owner, REGISTERED_BUSINESS_FIELDS));
    for (let draw = 0; draw < NIB_DRAWS; draw++) {
      const business = await insertBusinessIfNibFree(tx, {
        nib: drawNib(),
        ownerNik: owner,
        name: inputs.businessName,
        kbli: kbli.activity.code,
        kbliTitle: kbli.activity.title,
        riskLevel: kbli.activity.riskLevel,
        status: 'ACTIVE',
        issuedOn: clock.today(),
        address: inputs.businessAddress,
        scale: inputs.businessScale ?? null,
        taskId: task.taskId,
      });
      if (business) return issued(business);
    }
    // Practically unreachable (10^12 numbers); a transient failure, so the task is retried.
    throw new Error(`no free NIB after ${NIB_DRAWS} draws`);
  };
}

/** Licensing's task kinds (catalogue participant `licensing`). */
export function licensingTaskHandlers(clock: TaskClock = jakartaClock()): Record<string, TaskHandler<Transaction<LicensingSchema>>> {
  // The same task sent again (a re-assignment) gets the NIB it was given the first time, which tells its owner's NIB again.
  return approvingOnce(taskApprovals, { ISSUE_NIB: issueNib(clock) }, {
    ISSUE_NIB: (task, _approval, audit) => reportReads(audit, parseTaskInputs(task, issueNibInputsSchema).applicantNik, ['Business.nib']),
  });
}
