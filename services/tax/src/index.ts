import { runService, startSubgraphService } from '@simpul/service-kit';
import { SERVICE_NAME, taxService } from './app';

runService(SERVICE_NAME, (logger) => startSubgraphService(taxService, logger));
