import { approvingOnce, participantTasks, type TaskClock } from '@simpul/events';
import { jakartaClock } from '@simpul/identifiers';
import { inbox, outbox, taskApprovals, type DukcapilSchema } from './db/schema';
import { birthCertificateTaskReadbacks, createBirthCertificateTaskHandlers } from './modules/birth-certificate/birth-certificate.tasks';
import { childIdCardTaskReadbacks, createChildIdCardTaskHandlers } from './modules/child-id-card/child-id-card.tasks';
import { citizenTaskReadbacks, createCitizenTaskHandlers } from './modules/citizen/citizen.tasks';
import { createFamilyCardTaskHandlers, familyCardTaskReadbacks } from './modules/family-card/family-card.tasks';
import type { DukcapilTaskHandler } from './modules/task/task-handler';

/**
 * Every task kind Dukcapil performs (catalogue `taskKind`), each deciding against the civil registry
 * and reporting what it read and changed to the worker's audit recorder.
 */
export function createDukcapilTaskHandlers(clock: TaskClock = jakartaClock()): Record<string, DukcapilTaskHandler> {
  return approvingOnce(
    taskApprovals,
    {
      ...createCitizenTaskHandlers(clock),
      ...createFamilyCardTaskHandlers(clock),
      ...createBirthCertificateTaskHandlers(clock),
      ...createChildIdCardTaskHandlers(clock),
    },
    { ...citizenTaskReadbacks, ...familyCardTaskReadbacks, ...birthCertificateTaskReadbacks, ...childIdCardTaskReadbacks },
  );
}

/**
 * Dukcapil's part of the MPP fan-out: decides the tasks on `mpp.task.assigned.dukcapil.v1`.
 * Declared on the service definition (app.ts).
 */
export const dukcapilTasks = participantTasks<DukcapilSchema>({
  participant: 'dukcapil',
  inbox,
  outbox,
  handlers: ({ clock }) => createDukcapilTaskHandlers(clock),
});
