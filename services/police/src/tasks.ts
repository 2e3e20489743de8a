import { participantTasks, type TaskClock, type TaskHandler } from '@simpul/events';
import { jakartaClock } from '@simpul/identifiers';
import { createServiceGatewayClient, type GatewayClient, type Transaction } from '@simpul/service-kit';
import { inbox, outbox, type PoliceSchema } from './db/schema';
import type { PoliceEnv } from './env';
import { updateVehicleRegistrationAddress, validateStnk } from './modules/vehicle/vehicle.tasks';

/** What the police do with each kind of task they are given (catalogue `taskKind`). */
export function policeTaskHandlers(deps: { gateway: GatewayClient; clock?: TaskClock }): Record<string, TaskHandler<Transaction<PoliceSchema>>> {
  return {
    UPDATE_VEHICLE_REGISTRATION_ADDRESS: updateVehicleRegistrationAddress,
    VALIDATE_STNK: validateStnk({ gateway: deps.gateway, clock: deps.clock ?? jakartaClock() }),
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
