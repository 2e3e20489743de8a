import type { Logger } from '@simpul/service-kit';
import type { AuditBatch, Principal } from '@simpul/service-kit';

/** Per-request context of the gateway: what data sources and plugins read. */
export interface GatewayContext {
  /** From the caller's `x-correlation-id` or generated; sent to every subgraph and back to the caller. */
  correlationId: string;
  logger: Logger;
  /** The verified caller (auth/gateway-auth.ts); undefined when OIDC_ISSUER_URL is unset. */
  principal?: Principal;
  /** The request's well-formed `x-simpul-purpose`, read once (purposeRoute); signed into every context. */
  purpose?: string;
  /**
   * The read records the subgraphs handed back for this request (audit/request-audit.ts), appended
   * once before the response leaves; only when the gateway records reads itself (AUDIT_URL).
   */
  auditBatches?: AuditBatch[];
}
