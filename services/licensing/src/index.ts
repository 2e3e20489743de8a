import { runService, startSubgraphService } from '@simpul/service-kit';
import { SERVICE_NAME, licensingService } from './app';

runService(SERVICE_NAME, (logger) => startSubgraphService(licensingService, logger));
