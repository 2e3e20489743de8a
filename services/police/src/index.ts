import { runSubgraphService } from '@simpul/service-kit';
import { policeService } from './app';
import type { PoliceContext } from './context';
import type { PoliceSchema } from './db/schema';
import type { PoliceEnv } from './env';

runSubgraphService<PoliceSchema, PoliceEnv, PoliceContext>(policeService);
