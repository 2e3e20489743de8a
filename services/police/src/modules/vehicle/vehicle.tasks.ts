import { parseTaskInputs, type AssignedTask, type TaskClock, type TaskDecision } from '@simpul/events';
import { nikInput, plateNumberInput } from '@simpul/identifiers';
import { changesOf, nextSequenceValue, reportReads, type AuditRecorder, type GatewayClient, type Transaction } from '@simpul/service-kit';
import { z } from 'zod';
import { stnkValidationSerial, type PoliceSchema } from '../../db/schema';
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
export async function updateVehicleRegistrationAddress(task: AssignedTask, tx: Transaction<PoliceSchema>, audit: AuditRecorder): Promise<TaskDecision> {
  const inputs = parseTaskInputs(task, updateRegistrationAddressInputs);
  const nik = inputs.applicantNik;
  const plates = await setRegisteredAddressOfOwner(tx, nik, inputs.newAddress);
  // Which vehicles the citizen owns was read, even when it turned out to be none.
  reportReads(audit, nik, ['Citizen.vehicles']);
  if (plates.length === 0) {
    return { status: 'APPROVED', note: 'No vehicle is registered to the applicant, so there was no STNK address to update.' };
  }
  reportReads(audit, nik, ['Vehicle.plateNumber']);
  await audit.recordChanges(changesOf(nik, ['Vehicle.registeredAddress']));
  return { status: 'APPROVED', note: `The STNK address is updated for ${plates.length === 1 ? 'vehicle' : `${plates.length} vehicles`} ${plates.join(', ')}.` };
}

export const validateStnkInputs = z.object({
  applicantNik: nikInput,
  plateNumber: plateNumberInput,
});

/**
 * VEHICLE_ANNUAL_RENEWAL, after the tax office recorded the PKB: validates the STNK for another year
 * (pengesahan) and issues the validation number. Never while the PKB is unpaid.
 */
export function validateStnk(options: { gateway: GatewayClient; clock: TaskClock }) {
  // The PKB is read from the tax office through the gateway: the tax office records that read itself.
  return async (task: AssignedTask, tx: Transaction<PoliceSchema>, audit: AuditRecorder): Promise<TaskDecision> => {
    const { applicantNik, plateNumber } = parseTaskInputs(task, validateStnkInputs);
    const today = options.clock.today();
    const vehicle = await findVehicleForUpdate(tx, plateNumber);
    if (!vehicle) {
      return { status: 'REJECTED', reason: `No vehicle with plate ${plateNumber} is registered with the police.` };
    }
    // Whose vehicle this is was read: the owner's, who need not be the applicant.
    reportReads(audit, vehicle.ownerNik, ['Vehicle.owner']);
    if (vehicle.ownerNik !== applicantNik) {
      return { status: 'REJECTED', reason: `Plate ${plateNumber} is not registered to the applicant; only the registered owner can have its STNK validated.` };
    }
    reportReads(audit, applicantNik, ['Vehicle.stnkExpiresOn']);
    if (vehicle.stnkExpiresOn < today) {
      return {
        status: 'REJECTED',
        reason: `The STNK of ${plateNumber} expired on ${vehicle.stnkExpiresOn}: it needs the five-yearly renewal (a new STNK and plates), not the annual validation.`,
      };
    }
    const [latest] = await findLatestStnkValidations(tx, [plateNumber]);
    reportReads(audit, applicantNik, ['Vehicle.stnkValidation']);
    if (latest) reportReads(audit, applicantNik, ['StnkValidation.validUntil']);
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
    await audit.recordChanges(changesOf(applicantNik, ['StnkValidation.number', 'StnkValidation.validatedOn', 'StnkValidation.validUntil', 'Vehicle.stnkValidation']));
    const number = stnkValidationNumber(Number(today.slice(0, 4)), await nextSequenceValue(tx, stnkValidationSerial));
    await insertStnkValidation(tx, { number, plateNumber, applicantNik, validatedOn: today, validUntil, taskId: task.taskId });
    return {
      status: 'APPROVED',
      documents: [{ kind: 'STNK_VALIDATION', number }],
      note: `The STNK of ${plateNumber} is validated until ${validUntil}.`,
    };
  };
}
