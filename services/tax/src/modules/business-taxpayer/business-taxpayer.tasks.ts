import { parseTaskInputs, PermanentEventError, type AssignedTask, type TaskClock, type TaskDecision } from '@simpul/events';
import { nikInput, parseNib } from '@simpul/identifiers';
import { changesOf, nextSequenceValue, reportReads, type AuditField, type AuditRecorder, type Transaction } from '@simpul/service-kit';
import { z } from 'zod';
import { businessNpwpSerial, type TaxSchema } from '../../db/schema';
import { issuedDocumentsInput } from '../../task-inputs';
import { displayNpwp } from '../taxpayer/taxpayer.service';
import { findBusinessTaxpayerByNib, insertBusinessTaxpayer } from './business-taxpayer.repository';
import { businessNpwp } from './business-taxpayer.service';

export const registerNpwpInputs = z.object({
  applicantNik: nikInput,
  businessName: z.string().trim().min(1).max(120),
  businessAddress: z.string().trim().min(1).max(200),
  issuedDocuments: issuedDocumentsInput,
});

/** What registering a business creates for the person responsible, as fields of BusinessTaxpayer. */
const REGISTERED_FIELDS: readonly AuditField[] = [
  'BusinessTaxpayer.npwp',
  'BusinessTaxpayer.nib',
  'BusinessTaxpayer.name',
  'BusinessTaxpayer.address',
  'BusinessTaxpayer.registeredOn',
  'BusinessTaxpayer.responsible',
];

/** The NIB licensing issued earlier in the application, if any. */
function issuedNib(task: AssignedTask, documents: z.output<typeof registerNpwpInputs>['issuedDocuments']): string | undefined {
  const nibs = new Set<string>();
  for (const document of documents) {
    if (document.kind !== 'NIB') continue;
    if (!('number' in document)) throw new PermanentEventError(`REGISTER_NPWP task ${task.taskId}: the NIB came hashed, but the tax office is entitled to it`);
    const parsed = parseNib(document.number);
    if (!parsed.ok) throw new PermanentEventError(`REGISTER_NPWP task ${task.taskId}: the issued NIB is malformed: ${parsed.message}`);
    nibs.add(parsed.value);
  }
  if (nibs.size > 1) throw new PermanentEventError(`REGISTER_NPWP task ${task.taskId}: ${nibs.size} different NIBs were issued for one business`);
  return [...nibs][0];
}

/**
 * BUSINESS_START, after OSS issued the NIB: registers the business as a taxpayer (Wajib Pajak Badan)
 * and issues its NPWP. One NPWP per NIB.
 */
export function registerNpwp(clock: TaskClock) {
  return async (task: AssignedTask, tx: Transaction<TaxSchema>, audit: AuditRecorder): Promise<TaskDecision> => {
    const inputs = parseTaskInputs(task, registerNpwpInputs);
    const nib = issuedNib(task, inputs.issuedDocuments);
    // Refused on the inputs alone: no taxpayer's data was read.
    if (nib === undefined) {
      return {
        status: 'REJECTED',
        reason: 'No NIB was issued for this business. The tax office registers a business NPWP only after OSS has issued the NIB.',
      };
    }
    const registered = await findBusinessTaxpayerByNib(tx, nib);
    if (registered) {
      // The registration found (and named in the reason) is its responsible person's, whoever applied.
      reportReads(audit, registered.responsibleNik, ['BusinessTaxpayer.nib', 'BusinessTaxpayer.npwp']);
      return {
        status: 'REJECTED',
        reason: `The business with NIB ${nib} is already registered as a taxpayer with NPWP ${displayNpwp(registered.npwp)}; a business has only one NPWP.`,
      };
    }
    // A concurrent registration of the same NIB fails on the unique NIB and is retried: it then finds this one.
    const npwp = businessNpwp(await nextSequenceValue(tx, businessNpwpSerial));
    await audit.recordChanges(changesOf(inputs.applicantNik, REGISTERED_FIELDS));
    await insertBusinessTaxpayer(tx, {
      npwp,
      nib,
      name: inputs.businessName,
      address: inputs.businessAddress,
      responsibleNik: inputs.applicantNik,
      registeredOn: clock.today(),
      taskId: task.taskId,
    });
    return {
      status: 'APPROVED',
      documents: [{ kind: 'NPWP', number: displayNpwp(npwp) }],
      note: `${inputs.businessName} is registered as a business taxpayer with NPWP ${displayNpwp(npwp)}.`,
    };
  };
}
