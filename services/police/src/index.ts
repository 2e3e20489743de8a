import { runService, startSubgraphService } from '@simpul/service-kit';
import { SERVICE_NAME, policeService, type PoliceEnv } from './app';
import type { PoliceContext } from './context';
import type { PoliceSchema } from './db/schema';

runService(SERVICE_NAME, (logger) => startSubgraphService<PoliceSchema, PoliceEnv, PoliceContext>(policeService, logger));
