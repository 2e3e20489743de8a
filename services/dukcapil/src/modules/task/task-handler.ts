import type { TaskHandler } from '@simpul/events';
import type { Transaction } from '@simpul/service-kit';
import type { DukcapilSchema } from '../../db/schema';

export type DukcapilTaskHandler = TaskHandler<Transaction<DukcapilSchema>>;

/** What a handler needs besides the task: today's date (UTC, as the identifier validators read dates). */
export interface TaskClock {
  today(): string;
}

export const systemClock: TaskClock = { today: () => new Date().toISOString().slice(0, 10) };
