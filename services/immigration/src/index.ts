import { runSubgraphService } from '@simpul/service-kit';
import { immigrationService } from './app';

runSubgraphService(immigrationService);
