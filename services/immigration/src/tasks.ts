import { participantTasks } from '@simpul/events';
import { inbox, outbox, type ImmigrationSchema } from './db/schema';
import { immigrationTaskHandlers } from './modules/passport/passport.tasks';

/**
 * The immigration office's part of the MPP fan-out: decides the tasks on
 * `mpp.task.assigned.immigration.v1` (the passport number it issues goes out with the decision).
 * Declared on the service definition (app.ts).
 */
export const immigrationTasks = participantTasks<ImmigrationSchema>({
  participant: 'immigration',
  inbox,
  outbox,
  handlers: ({ clock }) => immigrationTaskHandlers(clock),
});
