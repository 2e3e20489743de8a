import { participantTasks, type TaskClock, type TaskHandler } from '@simpul/events';
import { jakartaClock } from '@simpul/identifiers';
import type { Transaction } from '@simpul/service-kit';
import { inbox, outbox, type TaxSchema } from './db/schema';
import { registerNpwp } from './modules/business-taxpayer/business-taxpayer.tasks';
import { updateTaxpayerAddress } from './modules/taxpayer/taxpayer.tasks';
import { recordVehicleTaxPayment } from './modules/vehicle-tax/vehicle-tax.tasks';

/** What the tax office does with each kind of task it is given (catalogue `taskKind`). */
export function taxTaskHandlers(clock: TaskClock = jakartaClock()): Record<string, TaskHandler<Transaction<TaxSchema>>> {
  return {
    REGISTER_NPWP: registerNpwp(clock),
    UPDATE_TAXPAYER_ADDRESS: updateTaxpayerAddress,
    RECORD_VEHICLE_TAX_PAYMENT: recordVehicleTaxPayment(clock),
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
