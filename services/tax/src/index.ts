import { runSubgraphService } from '@simpul/service-kit';
import { taxService } from './app';

runSubgraphService(taxService);
