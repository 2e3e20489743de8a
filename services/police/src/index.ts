import { runService, startSubgraphService } from '@simpul/service-kit';
import { SERVICE_NAME, policeService } from './app';

runService(SERVICE_NAME, (logger) => startSubgraphService(policeService, logger));
