import { hashNik } from '@simpul/events';
import type { AuditOptions, Database, Logger } from '@simpul/service-kit';
import type { ApplicationsRuntime } from './context';
import type { ApplicationsSchema } from './db/schema';
import type { CivilRegistry } from './modules/application/civil-registry';
import type { ServiceCatalogue } from './modules/catalogue/service-catalogue';
import { TimelineWatcher } from './modules/timeline/timeline-watcher';
import type { WebhookParticipant } from './modules/webhook/webhook-config';

export interface ApplicationsRuntimeOptions {
  db: Database<ApplicationsSchema>;
  logger: Logger;
  catalogue: ServiceCatalogue;
  /** Webhook participants (loadWebhookConfig); default none. */
  webhooks?: ReadonlyMap<string, WebhookParticipant>;
  /** The deployment's secret for hashNik; participants matching NIK hashes use the same one. */
  nikHashPepper: string;
  /** How often live streams re-read their timelines when nothing nudged them (default 1 s). */
  timelinePollIntervalMs?: number;
  /** The audit log (auditOptionsFromEnv); default none: nothing is recorded. */
  audit?: AuditOptions;
  /** Dukcapil's register through the gateway (gatewayCivilRegistry); default none: citizens are not checked. */
  civilRegistry?: CivilRegistry;
  now?: () => Date;
}

export function createApplicationsRuntime(options: ApplicationsRuntimeOptions): ApplicationsRuntime {
  const watcher = new TimelineWatcher({ db: options.db, logger: options.logger, pollIntervalMs: options.timelinePollIntervalMs });
  const listeners: (() => void)[] = [() => watcher.nudge()];
  return {
    db: options.db,
    logger: options.logger,
    catalogue: options.catalogue,
    webhooks: options.webhooks ?? new Map(),
    hashNik: (nik) => hashNik(nik, options.nikHashPepper),
    audit: options.audit,
    civilRegistry: options.civilRegistry,
    watcher,
    now: options.now ?? (() => new Date()),
    afterCommit: () => {
      for (const listener of listeners) listener();
    },
    onCommit: (listener) => void listeners.push(listener),
  };
}
