import { runService, startSubgraphService } from '@simpul/service-kit';
import { SERVICE_NAME, immigrationService } from './app';

runService(SERVICE_NAME, (logger) => startSubgraphService(immigrationService, logger));
