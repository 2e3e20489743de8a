import { parseTaskInputs, type AssignedTask, type TaskDecision } from '@simpul/events';
import { nikInput } from '@simpul/identifiers';
import { changesOf, reportReads, type AuditRecorder, type Transaction } from '@simpul/service-kit';
import { z } from 'zod';
import type { TaxSchema } from '../../db/schema';
import { findTaxpayerByNikForUpdate, setTaxpayerAddress } from './taxpayer.repository';
import { displayNpwp } from './taxpayer.service';

const updateTaxpayerAddressInputs = z.object({
  applicantNik: nikInput,
  newAddress: z.string().trim().min(1).max(200),
});

/**
 * ADDRESS_CHANGE, after Dukcapil recorded the move: the taxpayer's address follows without another
 * visit (once-only). A citizen who is not a taxpayer has nothing to update, which is not a failure.
 */
export async function updateTaxpayerAddress(task: AssignedTask, tx: Transaction<TaxSchema>, audit: AuditRecorder): Promise<TaskDecision> {
  const inputs = parseTaskInputs(task, updateTaxpayerAddressInputs);
  const nik = inputs.applicantNik;
  const taxpayer = await findTaxpayerByNikForUpdate(tx, nik);
  if (!taxpayer) {
    // What it learnt is that the citizen has no NPWP.
    reportReads(audit, nik, ['Citizen.npwp']);
    return { status: 'APPROVED', note: 'The applicant is not a registered taxpayer, so the tax office had no address to update.' };
  }
  reportReads(audit, nik, ['Taxpayer.npwp']);
  await audit.recordChanges(changesOf(nik, ['Taxpayer.address']));
  await setTaxpayerAddress(tx, taxpayer.npwp, inputs.newAddress);
  return { status: 'APPROVED', note: `The address of taxpayer NPWP ${displayNpwp(taxpayer.npwp)} is updated.` };
}
