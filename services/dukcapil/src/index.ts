import { runService, startSubgraphService } from '@simpul/service-kit';
import { SERVICE_NAME, dukcapilService } from './app';

runService(SERVICE_NAME, (logger) => startSubgraphService(dukcapilService, logger));
