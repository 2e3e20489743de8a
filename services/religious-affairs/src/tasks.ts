import { approvingOnce, participantTasks } from '@simpul/events';
import { createServiceGatewayClient } from '@simpul/service-kit';
import { inbox, outbox, taskApprovals, type ReligiousAffairsSchema } from './db/schema';
import type { ReligiousAffairsEnv } from './env';
import { createCivilRegistry, type CivilRegistry } from './modules/marriage/civil-registry';
import { createMarriageTaskHandlers, marriageTaskReadbacks } from './modules/marriage/marriage.tasks';
import type { ReligiousAffairsTaskHandler } from './modules/task/task-handler';

/** Every task kind the KUA performs (catalogue `taskKind`), each reporting what it read and changed of the KUA's register to the worker's audit recorder. */
export function createReligiousAffairsTaskHandlers(deps: { civilRegistry: CivilRegistry }): Record<string, ReligiousAffairsTaskHandler> {
  return approvingOnce(taskApprovals, { ...createMarriageTaskHandlers(deps) }, { ...marriageTaskReadbacks });
}

/**
 * The KUA's part of the MPP fan-out: decides the tasks on `mpp.task.assigned.religious-affairs.v1`,
 * asking Dukcapil through the gateway (GATEWAY_URL, as the KUA's service account). Declared on the
 * service definition (app.ts).
 */
export const religiousAffairsTasks = participantTasks<
  ReligiousAffairsSchema,
  Pick<ReligiousAffairsEnv, 'GATEWAY_URL' | 'OIDC_ISSUER_URL' | 'OIDC_CLIENT_ID' | 'OIDC_CLIENT_SECRET'>
>({
  participant: 'religious-affairs',
  inbox,
  outbox,
  handlers: ({ env }) => createReligiousAffairsTaskHandlers({ civilRegistry: createCivilRegistry(createServiceGatewayClient(env.GATEWAY_URL, env)) }),
});
