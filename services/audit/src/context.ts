import type { RequestContext } from '@simpul/service-kit';
import type { AuditLog } from './modules/audit/audit.service';

/** What the audit service's resolvers and routes share for its lifetime. */
export interface AuditRuntime {
  log: AuditLog;
  /** Hashes NIKs as the other subgraphs do (NIK_HASH_PEPPER). */
  nikHashPepper: string;
  /** Whether callers are verified (INTERNAL_CONTEXT_PUBLIC_KEY): then `context.caller` is always set. */
  securityOn: boolean;
}

export interface AuditContext extends RequestContext {
  runtime: AuditRuntime;
}
