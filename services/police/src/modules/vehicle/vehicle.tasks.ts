import type { AssignedTask, TaskDecision } from '@simpul/events';
import type { GatewayClient } from '@simpul/service-kit';
import { z } from 'zod';
import { nextSerial } from '../../db/next-serial';
import { stnkValidationSerial } from '../../db/schema';
import { indonesianDate, nikInput, parseTaskInputs, plateNumberInput, type PoliceTransaction } from '../../task-inputs';
import { fetchVehicleTax } from './vehicle-tax.gateway';
import { findLatestStnkValidations, findVehicleForUpdate, insertStnkValidation, setRegisteredAddressOfOwner } from './vehicle.repository';
import { addYears, stnkValidationNumber } from './vehicle.service';

const updateRegistrationAddressInputs = z.object({
  applicantNik: nikInput,
  newAddress: z.string().trim().min(1).max(200),
});

/**
 * ADDRESS_CHANGE, after Dukcapil recorded the move: the address on every STNK of the citizen follows
 * (once-only). A citizen with no vehicle has nothing to update, which is not a failure.
 */
export async function updateVehicleRegistrationAddress(task: AssignedTask, tx: PoliceTransaction): Promise<TaskDecision> {
  const inputs = parseTaskInputs(task, updateRegistrationAddressInputs);
  const plates = await setRegisteredAddressOfOwner(tx, inputs.applicantNik, inputs.newAddress);
  if (plates.length === 0) {
    return { status: 'APPROVED', note: 'No vehicle is registered to the applicant, so there was no STNK address to update.' };
  }
  return { status: 'APPROVED', note: `The STNK address is updated for ${plates.length === 1 ? 'vehicle' : `${plates.length} vehicles`} ${plates.join(', ')}.` };
}

const validateStnkInputs = z.object({
  applicantNik: nikInput,
  plateNumber: plateNumberInput,
});

/**
 * VEHICLE_ANNUAL_RENEWAL, after the tax office recorded the PKB: validates the STNK for another year
 * (pengesahan) and issues the validation number. Never while the PKB is unpaid.
 */
export function validateStnk(options: { gateway: GatewayClient; now: () => Date }) {
  return async (task: AssignedTask, tx: PoliceTransaction): Promise<TaskDecision> => {
    const { applicantNik, plateNumber } = parseTaskInputs(task, validateStnkInputs);
    const today = indonesianDate(options.now());
    const vehicle = await findVehicleForUpdate(tx, plateNumber);
    if (!vehicle) {
      return { status: 'REJECTED', reason: `No vehicle with plate ${plateNumber} is registered with the police.` };
    }
    if (vehicle.ownerNik !== applicantNik) {
      return { status: 'REJECTED', reason: `Plate ${plateNumber} is not registered to the applicant; only the registered owner can have its STNK validated.` };
    }
    if (vehicle.stnkExpiresOn < today) {
      return {
        status: 'REJECTED',
        reason: `The STNK of ${plateNumber} expired on ${vehicle.stnkExpiresOn}: it needs the five-yearly renewal (a new STNK and plates), not the annual validation.`,
      };
    }
    const [latest] = await findLatestStnkValidations(tx, [plateNumber]);
    const from = latest && latest.validUntil > today ? latest.validUntil : today;
    if (from >= vehicle.stnkExpiresOn) {
      return {
        status: 'REJECTED',
        reason: `The STNK of ${plateNumber} is already validated until it expires on ${vehicle.stnkExpiresOn}; next comes the five-yearly renewal.`,
      };
    }

    // Asked last, once the police's own rules passed; a gateway failure throws and the task is retried.
    const vehicleTax = await fetchVehicleTax(options.gateway, plateNumber, `application:${task.applicationId}`);
    if (!vehicleTax) {
      return { status: 'REJECTED', reason: `The tax office has no PKB record for ${plateNumber}; the STNK is validated only once the PKB is paid.` };
    }
    if (vehicleTax.status !== 'PAID') {
      return {
        status: 'REJECTED',
        reason: `The PKB of ${plateNumber} (due ${vehicleTax.dueOn}) is ${vehicleTax.status === 'OVERDUE' ? 'overdue' : 'unpaid'}; the STNK is validated only once the PKB is paid.`,
      };
    }

    const extended = addYears(from, 1);
    const validUntil = extended < vehicle.stnkExpiresOn ? extended : vehicle.stnkExpiresOn;
    const number = stnkValidationNumber(Number(today.slice(0, 4)), await nextSerial(tx, stnkValidationSerial));
    await insertStnkValidation(tx, { number, plateNumber, applicantNik, validatedOn: today, validUntil, taskId: task.taskId });
    return {
      status: 'APPROVED',
      documents: [{ kind: 'STNK_VALIDATION', number }],
      note: `The STNK of ${plateNumber} is validated until ${validUntil}.`,
    };
  };
}
