import type { TaskHandler } from '@simpul/events';
import type { Transaction } from '@simpul/service-kit';
import type { ReligiousAffairsSchema } from '../../db/schema';

export type ReligiousAffairsTaskHandler = TaskHandler<Transaction<ReligiousAffairsSchema>>;
