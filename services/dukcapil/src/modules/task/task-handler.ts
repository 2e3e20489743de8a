import type { TaskHandler } from '@simpul/events';
import type { Transaction } from '@simpul/service-kit';
import type { DukcapilSchema } from '../../db/schema';

export type DukcapilTaskHandler = TaskHandler<Transaction<DukcapilSchema>>;
