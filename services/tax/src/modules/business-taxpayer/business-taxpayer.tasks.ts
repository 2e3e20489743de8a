import type { TaxSchema } from '../../db/schema';
import { parseTaskInputs, PermanentEventError, reportRead, type AssignedTask, type TaskDecision } from '@simpul/events';
import { indonesianDate, nikInput, parseNib } from '@simpul/identifiers';
import { nextSequenceValue, type AuditRecorder, type Transaction } from '@simpul/service-kit';
import { z } from 'zod';
import { businessNpwpSerial } from '../../db/schema';
import { issuedDocumentsInput } from '../../task-inputs';
import { displayNpwp } from '../taxpayer/taxpayer.service';
import { findBusinessTaxpayerByNib, insertBusinessTaxpayer } from './business-taxpayer.repository';
import { businessNpwp } from './business-taxpayer.service';

const registerNpwpInputs = z.object({
  applicantNik: nikInput,
  businessName: z.string().trim().min(1).max(120),
  businessAddress: z.string().trim().min(1).max(200),
  issuedDocuments: issuedDocumentsInput,
});

/** What registering a business creates for the person responsible, as fields of BusinessTaxpayer. */
const REGISTERED_FIELDS = ['npwp', 'nib', 'name', 'address', 'registeredOn', 'responsible'] as const;

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
export function registerNpwp(options: { now: () => Date }) {
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
      reportRead(audit, registered.responsibleNik, 'BusinessTaxpayer', ['nib', 'npwp']);
      return {
        status: 'REJECTED',
        reason: `The business with NIB ${nib} is already registered as a taxpayer with NPWP ${displayNpwp(registered.npwp)}; a business has only one NPWP.`,
      };
    }
    // A concurrent registration of the same NIB fails on the unique NIB and is retried: it then finds this one.
    const npwp = businessNpwp(await nextSequenceValue(tx, businessNpwpSerial));
    await audit.recordChanges(REGISTERED_FIELDS.map((fieldName) => ({ nik: inputs.applicantNik, typeName: 'BusinessTaxpayer', fieldName })));
    await insertBusinessTaxpayer(tx, {
      npwp,
      nib,
      name: inputs.businessName,
      address: inputs.businessAddress,
      responsibleNik: inputs.applicantNik,
      registeredOn: indonesianDate(options.now()),
      taskId: task.taskId,
    });
    return {
      status: 'APPROVED',
      documents: [{ kind: 'NPWP', number: displayNpwp(npwp) }],
      note: `${inputs.businessName} is registered as a business taxpayer with NPWP ${displayNpwp(npwp)}.`,
    };
  };
}
