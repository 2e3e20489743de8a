import { runSubgraphService } from '@simpul/service-kit';
import { auditService } from './app';

runSubgraphService(auditService);
