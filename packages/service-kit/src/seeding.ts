import type { Logger } from './logger';

export type SeedProgress = (table: string, done: number, total: number) => void;

/**
 * Seeds demo data once: a store that already has data is left as it is, so a restart reuses it.
 * Progress is logged as `{ seed: { table, done, total } }` lines the `simpul start` console renders.
 */
export async function seedIfEmpty(options: {
  logger: Logger;
  hasData: () => Promise<boolean>;
  seed: (progress: SeedProgress) => Promise<void>;
}): Promise<'seeded' | 'kept'> {
  if (await options.hasData()) {
    options.logger.info('demo data already present; keeping it');
    return 'kept';
  }
  const started = Date.now();
  await options.seed((table, done, total) => options.logger.info({ seed: { table, done, total } }, `seeding ${table} ${done}/${total}`));
  options.logger.info({ ms: Date.now() - started }, 'demo data seeded');
  return 'seeded';
}
