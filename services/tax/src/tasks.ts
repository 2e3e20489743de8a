import { approvingOnce, parseTaskInputs, participantTasks, type TaskClock, type TaskHandler } from '@simpul/events';
import { jakartaClock } from '@simpul/identifiers';
import { reportReads, type Transaction } from '@simpul/service-kit';
import { inbox, outbox, taskApprovals, type TaxSchema } from './db/schema';
import { registerNpwp, registerNpwpInputs } from './modules/business-taxpayer/business-taxpayer.tasks';
import { updateTaxpayerAddress } from './modules/taxpayer/taxpayer.tasks';
import { recordVehicleTaxPayment, recordVehicleTaxPaymentInputs } from './modules/vehicle-tax/vehicle-tax.tasks';

/**
 * What the tax office does with each kind of task it is given (catalogue `taskKind`). A task that
 * issues a document and is sent again gets the document it was given the first time (approvingOnce),
 * which tells the applicant's number again; an address update is simply made again (same result).
 */
export function taxTaskHandlers(clock: TaskClock = jakartaClock()): Record<string, TaskHandler<Transaction<TaxSchema>>> {
  return {
    ...approvingOnce(
      taskApprovals,
      { REGISTER_NPWP: registerNpwp(clock), RECORD_VEHICLE_TAX_PAYMENT: recordVehicleTaxPayment(clock) },
      {
        REGISTER_NPWP: (task, _approval, audit) => reportReads(audit, parseTaskInputs(task, registerNpwpInputs).applicantNik, ['BusinessTaxpayer.npwp']),
        RECORD_VEHICLE_TAX_PAYMENT: (task, _approval, audit) =>
          reportReads(audit, parseTaskInputs(task, recordVehicleTaxPaymentInputs).applicantNik, ['VehicleTax.receiptNumber']),
      },
    ),
    UPDATE_TAXPAYER_ADDRESS: updateTaxpayerAddress,
  };
}

/**
 * The tax office's part of the MPP fan-out: decides the tasks on `mpp.task.assigned.tax.v1`.
 * Declared on the service definition (app.ts).
 */
export const taxTasks = participantTasks<TaxSchema>({
  participant: 'tax',
  inbox,
  outbox,
  handlers: ({ clock }) => taxTaskHandlers(clock),
});
