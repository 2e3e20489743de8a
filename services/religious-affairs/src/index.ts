import { runService, startSubgraphService } from '@simpul/service-kit';
import { SERVICE_NAME, religiousAffairsService } from './app';
import type { ReligiousAffairsContext } from './context';
import type { ReligiousAffairsSchema } from './db/schema';
import type { ReligiousAffairsEnv } from './env';

runService(SERVICE_NAME, (logger) => startSubgraphService<ReligiousAffairsSchema, ReligiousAffairsEnv, ReligiousAffairsContext>(religiousAffairsService, logger));
