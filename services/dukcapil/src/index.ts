import { runSubgraphService } from '@simpul/service-kit';
import { dukcapilService } from './app';
import type { DukcapilContext } from './context';
import type { DukcapilSchema } from './db/schema';
import type { DukcapilEnv } from './env';

runSubgraphService<DukcapilSchema, DukcapilEnv, DukcapilContext>(dukcapilService);
