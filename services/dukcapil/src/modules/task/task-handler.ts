import type { TaskHandler, TransactionOf } from '@simpul/events';
import type { Database } from '@simpul/service-kit';
import type { DukcapilSchema } from '../../db/schema';

export type DukcapilTransaction = TransactionOf<Database<DukcapilSchema>>;
export type DukcapilTaskHandler = TaskHandler<DukcapilTransaction>;

/** What a handler needs besides the task: today's date (UTC, as the identifier validators read dates). */
export interface TaskClock {
  today(): string;
}

export const systemClock: TaskClock = { today: () => new Date().toISOString().slice(0, 10) };
