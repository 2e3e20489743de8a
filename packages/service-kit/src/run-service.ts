import type { z } from 'zod';
import { describeEnv, EnvError } from './env';
import { createLogger, type Logger } from './logger';

export interface RunningService {
  url?: string;
  stop(): Promise<void>;
}

const STOP_TIMEOUT_MS = 10_000;

/** What `<service> --help` prints: the variables `envSchema` reads, with defaults and descriptions. */
export function serviceHelp(name: string, envSchema: z.ZodType): string {
  return `${name}: configured by environment variables only\n\n${describeEnv(envSchema)}\n`;
}

/**
 * Process entry for a service: starts it, logs where it listens, and stops it gracefully on
 * SIGINT/SIGTERM (forcing exit if stopping hangs). A bad environment exits 1 listing every problem.
 * With `--help`, prints the variables of `options.envSchema` (serviceEnvSchemaOf) and exits.
 */
export function runService(name: string, start: (logger: Logger) => Promise<RunningService>, options: { envSchema?: z.ZodType } = {}): void {
  if (options.envSchema && process.argv.slice(2).includes('--help')) {
    process.stdout.write(serviceHelp(name, options.envSchema));
    return;
  }
  const logger = createLogger(name);
  start(logger).then(
    (running) => {
      logger.info({ url: running.url }, `${name} ready`);
      let stopping = false;
      const stop = (signal: string) => {
        if (stopping) return;
        stopping = true;
        logger.info({ signal }, `${name} stopping`);
        const timer = setTimeout(() => {
          logger.error(`${name} did not stop within ${STOP_TIMEOUT_MS} ms; exiting`);
          process.exit(1);
        }, STOP_TIMEOUT_MS);
        timer.unref();
        running.stop().then(
          () => process.exit(0),
          (error: unknown) => {
            logger.error({ err: error }, `${name} failed to stop cleanly`);
            process.exit(1);
          },
        );
      };
      process.once('SIGINT', () => stop('SIGINT'));
      process.once('SIGTERM', () => stop('SIGTERM'));
    },
    (error: unknown) => {
      if (error instanceof EnvError) {
        logger.fatal({ problems: error.problems }, `${name}: ${error.message}`);
      } else {
        logger.fatal({ err: error }, `${name} failed to start`);
      }
      process.exit(1);
    },
  );
}
