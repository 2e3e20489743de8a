import { approvingOnce, parseTaskInputs, participantTasks, type TaskClock, type TaskHandler } from '@simpul/events';
import { jakartaClock } from '@simpul/identifiers';
import { createServiceGatewayClient, reportReads, type GatewayClient, type Transaction } from '@simpul/service-kit';
import { inbox, outbox, taskApprovals, type PoliceSchema } from './db/schema';
import type { PoliceEnv } from './env';
import { updateVehicleRegistrationAddress, validateStnk, validateStnkInputs } from './modules/vehicle/vehicle.tasks';

/**
 * What the police do with each kind of task they are given (catalogue `taskKind`). An STNK validation
 * sent again gets the validation it was given the first time (approvingOnce), which tells its number
 * again; an address update is simply made again (same result).
 */
export function policeTaskHandlers(deps: { gateway: GatewayClient; clock?: TaskClock }): Record<string, TaskHandler<Transaction<PoliceSchema>>> {
  return {
    ...approvingOnce(
      taskApprovals,
      { VALIDATE_STNK: validateStnk({ gateway: deps.gateway, clock: deps.clock ?? jakartaClock() }) },
      { VALIDATE_STNK: (task, _approval, audit) => reportReads(audit, parseTaskInputs(task, validateStnkInputs).applicantNik, ['StnkValidation.number']) },
    ),
    UPDATE_VEHICLE_REGISTRATION_ADDRESS: updateVehicleRegistrationAddress,
  };
}

/**
 * The police's part of the MPP fan-out: decides the tasks on `mpp.task.assigned.police.v1`, asking
 * the tax office's PKB through the gateway (GATEWAY_URL, as the police's service account).
 * Declared on the service definition (app.ts).
 */
export const policeTasks = participantTasks<PoliceSchema, Pick<PoliceEnv, 'GATEWAY_URL' | 'OIDC_ISSUER_URL' | 'OIDC_CLIENT_ID' | 'OIDC_CLIENT_SECRET'>>({
  participant: 'police',
  inbox,
  outbox,
  handlers: ({ env, clock }) => policeTaskHandlers({ gateway: createServiceGatewayClient(env.GATEWAY_URL, env), clock }),
});
