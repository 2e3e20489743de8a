import { join } from 'node:path';
import { runService, startSubgraphService } from '@simpul/service-kit';
import { SERVICE_NAME, createReligiousAffairsSubgraph } from './app';
import { schema } from './db/schema';
import { hasData, seed } from './db/seed';

runService(SERVICE_NAME, (logger) =>
  startSubgraphService(
    {
      name: SERVICE_NAME,
      schema,
      migrationsFolder: join(__dirname, '../migrations'),
      demoData: { hasData, seed },
      createSubgraph: createReligiousAffairsSubgraph,
    },
    logger,
  ),
);
