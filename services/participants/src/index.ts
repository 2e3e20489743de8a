import { runService, startSubgraphService } from '@simpul/service-kit';
import { SERVICE_NAME, participantsService } from './app';

runService(SERVICE_NAME, (logger) => startSubgraphService(participantsService, logger));
