import { runService, startSubgraphService } from '@simpul/service-kit';
import { SERVICE_NAME, religiousAffairsService } from './app';

runService(SERVICE_NAME, (logger) => startSubgraphService(religiousAffairsService, logger));
