import { runService, startSubgraphService } from '@simpul/service-kit';
import { SERVICE_NAME, dukcapilService } from './app';
import type { DukcapilContext } from './context';
import type { DukcapilSchema } from './db/schema';
import type { DukcapilEnv } from './env';

runService(SERVICE_NAME, (logger) => startSubgraphService<DukcapilSchema, DukcapilEnv, DukcapilContext>(dukcapilService, logger));
