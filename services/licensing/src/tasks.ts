import { participantTasks } from '@simpul/events';
import { inbox, outbox, type LicensingSchema } from './db/schema';
import { licensingTaskHandlers } from './modules/business/business.tasks';

/**
 * OSS licensing's part of the MPP fan-out: decides the tasks on `mpp.task.assigned.licensing.v1`
 * (the NIB it issues goes out with the decision). Declared on the service definition (app.ts).
 */
export const licensingTasks = participantTasks<LicensingSchema>({
  participant: 'licensing',
  inbox,
  outbox,
  handlers: ({ clock }) => licensingTaskHandlers(clock),
});
