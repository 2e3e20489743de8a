import { runService, startSubgraphService } from '@simpul/service-kit';
import { SERVICE_NAME, auditService } from './app';

runService(SERVICE_NAME, (logger) => startSubgraphService(auditService, logger));
