import { runSubgraphService } from '@simpul/service-kit';
import { licensingService } from './app';

runSubgraphService(licensingService);
