import type { AuditOptions, Database, Logger, RequestContext } from '@simpul/service-kit';
import type { ApplicationsSchema } from './db/schema';
import type { ApplicationsLoaders } from './loaders';
import type { CivilRegistry } from './modules/application/civil-registry';
import type { ServiceCatalogue } from './modules/catalogue/service-catalogue';
import type { TimelineWatcher } from './modules/timeline/timeline-watcher';
import type { WebhookParticipant } from './modules/webhook/webhook-config';

/** What the service's commands, consumers and routes share for its lifetime. */
export interface ApplicationsRuntime {
  db: Database<ApplicationsSchema>;
  catalogue: ServiceCatalogue;
  /** Participants connected over signed webhooks (WEBHOOK_URL_<P>), by code; the others use events only. */
  webhooks: ReadonlyMap<string, WebhookParticipant>;
  /** hashNik(nik, pepper) with this deployment's pepper. */
  hashNik: (nik: string) => string;
  /**
   * The audit log (AUDIT_URL, required in production): GraphQL requests record through it, and so
   * does the service's own work (applying task status reports). Undefined: nothing is recorded
   * (development without an audit log).
   */
  audit: AuditOptions | undefined;
  watcher: TimelineWatcher;
  /**
   * Dukcapil through the gateway (GATEWAY_URL, required in production): every citizen an application
   * names must be registered, alive and of age. Undefined (development without a gateway): not checked.
   */
  civilRegistry: CivilRegistry | undefined;
  logger: Logger;
  now: () => Date;
  /** Call after committing a transaction that added timeline entries or outbox rows: streams and the relay act at once. */
  afterCommit: () => void;
  /** Adds something to do after every such commit (e.g. wake the outbox relay). */
  onCommit: (listener: () => void) => void;
}

export interface ApplicationsContext extends RequestContext {
  loaders: ApplicationsLoaders;
  runtime: ApplicationsRuntime;
  /** The caller's W3C traceparent, carried into the events the request causes. */
  traceparent?: string;
}
