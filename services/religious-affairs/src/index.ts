import { runSubgraphService } from '@simpul/service-kit';
import { religiousAffairsService } from './app';
import type { ReligiousAffairsContext } from './context';
import type { ReligiousAffairsSchema } from './db/schema';
import type { ReligiousAffairsEnv } from './env';

runSubgraphService<ReligiousAffairsSchema, ReligiousAffairsEnv, ReligiousAffairsContext>(religiousAffairsService);
