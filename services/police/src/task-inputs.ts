import type { TransactionOf } from '@simpul/events';
import type { Database } from '@simpul/service-kit';
import type { PoliceSchema } from './db/schema';

/** The transaction a task handler decides in (shared with the inbox record and the outbox row). */
export type PoliceTransaction = TransactionOf<Database<PoliceSchema>>;
