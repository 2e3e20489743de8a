import { parseTaskInputs, type AssignedTask, type TaskClock, type TaskDecision } from '@simpul/events';
import { nikInput, plateNumberInput } from '@simpul/identifiers';
import { changesOf, nextSequenceValue, reportReads, type AuditRecorder, type Transaction } from '@simpul/service-kit';
import { z } from 'zod';
import { vehicleTaxReceiptSerial, type TaxSchema } from '../../db/schema';
import { issuedDocumentsInput, type IssuedDocumentInput } from '../../task-inputs';
import { findVehicleTaxForUpdate, findVehicleTaxPayment, insertVehicleTaxPayment } from './vehicle-tax.repository';
import { pkbReceiptNumber } from './vehicle-tax.service';

export const recordVehicleTaxPaymentInputs = z.object({
  applicantNik: nikInput,
  plateNumber: plateNumberInput,
  issuedDocuments: issuedDocumentsInput,
});

/**
 * The bank's proof that it collected the PKB: a document of a payment or receipt kind
 * (PKB_PAYMENT, PAYMENT_RECEIPT, BANK_RECEIPT, …) issued by the collecting step.
 */
const PAYMENT_DOCUMENT_KIND = /(^|_)(PAYMENT|RECEIPT)(_|$)/;

export function bankPaymentDocument(documents: readonly IssuedDocumentInput[]): IssuedDocumentInput | undefined {
  return documents.find((document) => PAYMENT_DOCUMENT_KIND.test(document.kind));
}

function bankReference(document: IssuedDocumentInput): string {
  return 'number' in document ? `${document.kind}:${document.number}` : `${document.kind}#${document.numberHash}`;
}

/**
 * VEHICLE_ANNUAL_RENEWAL, after the bank collected the PKB: records this year's PKB as paid and
 * issues the SKPD/PKB receipt, which the police then check before validating the STNK.
 */
export function recordVehicleTaxPayment(clock: TaskClock) {
  return async (task: AssignedTask, tx: Transaction<TaxSchema>, audit: AuditRecorder): Promise<TaskDecision> => {
    const { applicantNik, plateNumber, issuedDocuments } = parseTaskInputs(task, recordVehicleTaxPaymentInputs);
    const vehicleTax = await findVehicleTaxForUpdate(tx, plateNumber);
    if (!vehicleTax) {
      return { status: 'REJECTED', reason: `The tax office has no PKB record for plate ${plateNumber}, so no payment can be recorded for it.` };
    }
    // Whose PKB this is was read: the owner's (when on record), who need not be the applicant.
    if (vehicleTax.ownerNik !== null) reportReads(audit, vehicleTax.ownerNik, ['VehicleTax.plateNumber']);
    if (vehicleTax.ownerNik !== applicantNik) {
      return {
        status: 'REJECTED',
        reason: `Plate ${plateNumber} is not registered to the applicant in the tax office's PKB records; only the registered owner can renew it.`,
      };
    }
    const payment = bankPaymentDocument(issuedDocuments);
    if (!payment) {
      return { status: 'REJECTED', reason: 'No proof of a bank payment of the PKB came with this application; the PKB must be paid at the bank first.' };
    }
    const taxYear = Number(vehicleTax.dueOn.slice(0, 4));
    const recorded = await findVehicleTaxPayment(tx, plateNumber, taxYear);
    reportReads(audit, applicantNik, ['VehicleTax.dueOn', 'VehicleTax.status', 'VehicleTax.receiptNumber']);
    if (recorded || vehicleTax.status === 'PAID') {
      return {
        status: 'REJECTED',
        reason: `The ${taxYear} PKB of ${plateNumber} was already paid${recorded ? ` (receipt ${recorded.receiptNumber})` : ''}; this payment is not recorded twice, ask the bank for a refund.`,
      };
    }

    reportReads(audit, applicantNik, ['VehicleTax.amount']);
    await audit.recordChanges(changesOf(applicantNik, ['VehicleTax.status', 'VehicleTax.receiptNumber', 'VehicleTax.paidOn']));
    const receiptNumber = pkbReceiptNumber(taxYear, await nextSequenceValue(tx, vehicleTaxReceiptSerial));
    await insertVehicleTaxPayment(tx, {
      receiptNumber,
      plateNumber,
      taxYear,
      amount: vehicleTax.amount,
      payerNik: applicantNik,
      bankReference: bankReference(payment),
      paidOn: clock.today(),
      taskId: task.taskId,
    });
    return {
      status: 'APPROVED',
      documents: [{ kind: 'PKB_RECEIPT', number: receiptNumber }],
      note: `The ${taxYear} PKB of ${plateNumber} (Rp ${vehicleTax.amount.toLocaleString('id-ID')}) is recorded as paid.`,
    };
  };
}
