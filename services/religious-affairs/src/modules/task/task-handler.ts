import type { TaskHandler, TransactionOf } from '@simpul/events';
import type { Database } from '@simpul/service-kit';
import type { ReligiousAffairsSchema } from '../../db/schema';

export type ReligiousAffairsTransaction = TransactionOf<Database<ReligiousAffairsSchema>>;
export type ReligiousAffairsTaskHandler = TaskHandler<ReligiousAffairsTransaction>;
