import { join } from 'node:path';
import { loadEnv, runService } from '@simpul/service-kit';
import { z } from 'zod';
import { startEmbeddedBroker } from './broker-server';
import { DEFAULT_PARTITIONS } from './log-store';

// `npm start`'s event broker: Kafka semantics (partitions, consumer groups, committed offsets) on
// local files, for running Simpul without a Kafka cluster. One active consumer per group.

const env = z.object({
  EVENTS_HOST: z.string().default('127.0.0.1'),
  EVENTS_PORT: z.coerce.number().int().min(0).max(65535).default(4011),
  EVENTS_DATA_DIR: z.string().min(1).default(join('.simpul', 'data', 'events')),
  EVENTS_PARTITIONS: z.coerce.number().int().min(1).max(64).default(DEFAULT_PARTITIONS),
  /** `false` skips fsync (faster, loses the last acknowledged writes on power loss). */
  EVENTS_FSYNC: z.enum(['true', 'false']).default('true'),
});

runService('events-broker', async (logger) => {
  const config = loadEnv(env);
  const broker = await startEmbeddedBroker({
    host: config.EVENTS_HOST,
    port: config.EVENTS_PORT,
    dataDir: config.EVENTS_DATA_DIR,
    partitions: config.EVENTS_PARTITIONS,
    sync: config.EVENTS_FSYNC === 'true',
    logger,
  });
  return { url: broker.url, stop: () => broker.stop() };
});
