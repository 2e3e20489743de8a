import type { ApolloServerPlugin, GraphQLResponse } from '@apollo/server';
import {
  AUDIT_RESPONSE_EXTENSION,
  GATEWAY_APPEND_AUDIENCE,
  MAX_AUDIT_BATCH_RECORDS,
  createAuditClient,
  type AuditRecordInput,
  type AuditRequestSink,
  type InternalContextSigner,
  type Logger,
} from '@simpul/service-kit';
import type { GraphQLFormattedError } from 'graphql';
import type { GatewayContext } from '../context';
import { internalContextClaims } from '../subgraphs/internal-context';

/** AUDIT_URL and AUDIT_TIMEOUT_MS of the gateway (env.ts). */
export interface RequestAuditSettings {
  url: string;
  timeoutMs: number;
}

export const REQUEST_AUDIT_UNAVAILABLE_MESSAGE = 'The audit log could not record this access to personal data, so the data is withheld. Try again later.';

/**
 * One append per client request instead of one per subgraph response. The gateway signs every fetch
 * with `auditedBy: 'gateway'`; each subgraph still decides what it returned and builds the records
 * (naming the caller and purpose of the signed context), but hands them back in its response
 * (`extensions.simpulAudit`) instead of appending them. The data source takes them off the response
 * (takeSubgraphRecords) and this plugin appends them all, as one batch the audit log commits in one
 * group, before the response leaves the gateway; if that fails, the client gets no data at all
 * (AUDIT_UNAVAILABLE). So no personal data leaves Simpul without its record, at a seventh of the cost.
 */
export function requestAuditPlugin(options: { settings: RequestAuditSettings; signer: InternalContextSigner; logger: Logger; sink?: AuditRequestSink }): ApolloServerPlugin<GatewayContext> {
  const sink = options.sink ?? createAuditClient({ url: options.settings.url, timeoutMs: options.settings.timeoutMs });
  return {
    async requestDidStart({ contextValue }) {
      contextValue.auditBatches = [];
      return {
        async willSendResponse({ response, contextValue: context }) {
          const batches = context.auditBatches ?? [];
          if (batches.length === 0) return;
          try {
            const claims = internalContextClaims(context, { audience: GATEWAY_APPEND_AUDIENCE, requestHash: undefined });
            const internalContext = await options.signer.sign(claims);
            await sink.appendRequest(batches, { internalContext, correlationId: context.correlationId });
          } catch (error) {
            (context.logger ?? options.logger).error({ err: error, correlationId: context.correlationId }, 'audit log unavailable: withholding the response');
            withholdAll(response);
          }
        },
      };
    },
  };
}

/**
 * The records a subgraph handed back with its response, removed from it (they never reach the
 * client). `undefined` when it sent none; an Error when it sent something that is not a list of
 * records. Each record is checked field by field once, by the audit log, which refuses the whole
 * request's append (and so its data) for one bad record: checking them here too cost 2 % of the
 * gateway's CPU for nothing.
 */
export function takeSubgraphRecords(response: { extensions?: Record<string, unknown> }): AuditRecordInput[] | undefined | Error {
  const extension = response.extensions?.[AUDIT_RESPONSE_EXTENSION];
  if (extension === undefined) return undefined;
  delete response.extensions![AUDIT_RESPONSE_EXTENSION];
  const records = (extension as { records?: unknown } | null)?.records;
  const isList = Array.isArray(records) && records.length > 0 && records.length <= MAX_AUDIT_BATCH_RECORDS && records.every((r) => typeof r === 'object' && r !== null && !Array.isArray(r));
  return isList ? (records as AuditRecordInput[]) : new Error(`the ${AUDIT_RESPONSE_EXTENSION} extension is not a list of audit records`);
}

/** No data at all, one AUDIT_UNAVAILABLE error: the records of what the subgraphs returned are not committed. */
function withholdAll(response: GraphQLResponse): void {
  const error: GraphQLFormattedError = { message: REQUEST_AUDIT_UNAVAILABLE_MESSAGE, extensions: { code: 'AUDIT_UNAVAILABLE' } };
  response.body = { kind: 'single', singleResult: { data: null, errors: [error] } };
}
