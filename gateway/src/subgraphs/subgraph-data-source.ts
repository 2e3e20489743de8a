import { RemoteGraphQLDataSource, type GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import {
  INTERNAL_CONTEXT_HEADER,
  SubgraphResponseTooLargeError,
  createInternalHttpClient,
  graphqlRequestHash,
  subgraphFetchDuration,
  type InternalContextSigner,
  type InternalHttpInit,
  type Logger,
} from '@simpul/service-kit';
import { parse } from 'graphql';
import type { GatewayContext } from '../context';
import { failedFetchErrors, type SubgraphErrorCode } from './failed-fetch-errors';
import { withPurposeParties, type ApplicationPurposeResolver } from './application-purpose';
import { internalContextClaims } from './internal-context';
import { takeSubgraphRecords } from '../audit/request-audit';


type GatewayGraphQLResponse = Awaited<ReturnType<RemoteGraphQLDataSource['process']>>;
type Fetcher = RemoteGraphQLDataSource['fetcher'];
type ProcessOptions = GraphQLDataSourceProcessOptions<GatewayContext>;
/** A fetch the query plan makes for a client operation (not a health check or schema load). */
type IncomingOperationOptions = Extract<ProcessOptions, { incomingRequestContext: unknown }>;

function isIncomingOperation(options: ProcessOptions): options is IncomingOperationOptions {
  return 'incomingRequestContext' in options;
}

export const CORRELATION_ID_HEADER = 'x-correlation-id';

export interface SubgraphDataSourceOptions {
  name: string;
  url: string;
  /** Budget for one fetch, from sending the request to reading the whole response body. */
  timeoutMs: number;
  /** Largest response body read from the subgraph (bytes); DEFAULT_MAX_SUBGRAPH_RESPONSE_BYTES when omitted. */
  maxResponseBytes?: number;
  logger: Logger;
  /**
   * Signs each fetch's `x-simpul-context` (INTERNAL_CONTEXT_PRIVATE_KEY): the request's principal,
   * purpose and correlation id, for 60 s. Without it no context is sent (subgraphs without
   * INTERNAL_CONTEXT_PUBLIC_KEY, development and tests).
   */
  signer?: InternalContextSigner;
  /** Binds an `application:<id>` purpose to its citizens for this caller (application-purpose.ts); with the signer. */
  purposes?: ApplicationPurposeResolver;
  /**
   * The gateway appends the request's read records itself (AUDIT_URL; audit/request-audit.ts): each
   * context says so (`auditedBy: 'gateway'`) and the subgraph's records are taken off its response.
   */
  auditedByGateway?: boolean;
}

/** Thrown when a subgraph answers, but not with a GraphQL response the gateway can use. */
export class InvalidSubgraphResponseError extends Error {
  override name = 'InvalidSubgraphResponseError';
}

/** SUBGRAPH_MAX_RESPONSE_BYTES when unset: far above any answer Simpul's subgraphs give (a unified profile is a few KB). */
export const DEFAULT_MAX_SUBGRAPH_RESPONSE_BYTES = 4 * 1024 * 1024;

export { SubgraphResponseTooLargeError };

/**
 * One subgraph as the gateway calls it: every fetch has a deadline (an AbortSignal that also cuts
 * the response body short), carries the request's correlation id, and never fails the whole
 * operation. When the subgraph is down, too slow or answers garbage, the fetch resolves to
 * errors on exactly the fields it was asked for (see failedFetchErrors), so the client still
 * gets every other field.
 */
export class SubgraphDataSource extends RemoteGraphQLDataSource<GatewayContext> {
  readonly serviceName: string;
  readonly timeoutMs: number;
  readonly maxResponseBytes: number;
  private readonly logger: Logger;
  private readonly signer: InternalContextSigner | undefined;
  private readonly purposes: ApplicationPurposeResolver | undefined;
  private readonly auditedByGateway: boolean;

  constructor(options: SubgraphDataSourceOptions) {
    super({ url: options.url });
    this.serviceName = options.name;
    this.timeoutMs = options.timeoutMs;
    this.logger = options.logger.child({ serviceName: options.name });
    this.maxResponseBytes = options.maxResponseBytes ?? DEFAULT_MAX_SUBGRAPH_RESPONSE_BYTES;
    this.fetcher = boundedFetcher(options.timeoutMs, this.maxResponseBytes);
    this.signer = options.signer;
    this.purposes = options.purposes;
    this.auditedByGateway = options.auditedByGateway ?? false;
  }

  override async willSendRequest(options: ProcessOptions): Promise<void> {
    const headers = options.request.http?.headers;
    // Only the gateway vouches for a caller, freshly for every fetch.
    headers?.delete(INTERNAL_CONTEXT_HEADER);
    if (!isIncomingOperation(options)) return;
    headers?.set(CORRELATION_ID_HEADER, options.context.correlationId);
    if (!this.signer || !headers) return;
    const binding = { audience: this.serviceName, requestHash: graphqlRequestHash(options.request.query ?? '', options.request.variables) };
    const claims = await withPurposeParties(internalContextClaims(options.context, binding), this.purposes, options.context);
    if (this.auditedByGateway) claims.auditedBy = 'gateway';
    headers.set(INTERNAL_CONTEXT_HEADER, await this.signer.sign(claims));
  }

  override async process(options: ProcessOptions): Promise<GatewayGraphQLResponse> {
    if (!isIncomingOperation(options)) return super.process(options);
    const started = performance.now();
    let response: GatewayGraphQLResponse;
    try {
      response = await super.process(options);
      assertUsableResponse(response, options.request.variables);
    } catch (error) {
      return this.failedFetch(options, error, performance.now() - started);
    }
    if (isRequestLevelRejection(response)) {
      const messages = (response.errors ?? []).map((e) => e.message).join('; ');
      return this.failedFetch(options, new InvalidSubgraphResponseError(`request rejected: ${messages}`), performance.now() - started);
    }
    if (this.auditedByGateway) {
      const records = takeSubgraphRecords(response);
      // Data whose records cannot be read cannot be recorded, so it is not used.
      if (records instanceof Error) return this.failedFetch(options, new InvalidSubgraphResponseError(records.message), performance.now() - started);
      if (records) options.context.auditBatches?.push({ service: this.serviceName, records });
    }
    subgraphFetchDuration.observe({ subgraph: this.serviceName, outcome: 'ok' }, (performance.now() - started) / 1000);
    return response;
  }

  private failedFetch(options: IncomingOperationOptions, error: unknown, elapsedMs: number): GatewayGraphQLResponse {
    const code: SubgraphErrorCode = isTimeout(error)
      ? 'SUBGRAPH_TIMEOUT'
      : hasErrorNamed(error, 'SubgraphResponseTooLargeError')
        ? 'SUBGRAPH_RESPONSE_TOO_LARGE'
        : 'SUBGRAPH_UNAVAILABLE';
    const message = {
      SUBGRAPH_TIMEOUT: `The ${this.serviceName} service did not answer within ${this.timeoutMs} ms`,
      SUBGRAPH_RESPONSE_TOO_LARGE: `The ${this.serviceName} service answered with more than ${this.maxResponseBytes} bytes`,
      SUBGRAPH_UNAVAILABLE: `The ${this.serviceName} service is unavailable`,
    }[code];
    subgraphFetchDuration.observe({ subgraph: this.serviceName, outcome: code }, elapsedMs / 1000);
    (options.context.logger ?? this.logger).warn(
      { serviceName: this.serviceName, code, err: error, elapsedMs: Math.round(elapsedMs), correlationId: options.context.correlationId },
      `subgraph fetch failed: ${message}`,
    );
    const { request } = options;
    const document = options.document ?? (request.query ? parse(request.query) : undefined);
    const failure = { code, message, serviceName: this.serviceName };
    const errors = document
      ? failedFetchErrors(document, request.variables, failure, request.operationName)
      : [{ message, extensions: { code, serviceName: this.serviceName } }];
    return { data: null, errors };
  }
}

/** Service-kit's internal HTTP client (node:http, kept-alive, one deadline, a capped body) in RemoteGraphQLDataSource's fetcher type. */
function boundedFetcher(timeoutMs: number, maxBytes: number): Fetcher {
  const call = createInternalHttpClient({ timeoutMs, maxBytes });
  return (async (url: string, init?: InternalHttpInit) => call(url, init)) as unknown as Fetcher;
}

/** The deadline's abort, also when wrapped as an error's `cause`. */
function isTimeout(error: unknown): boolean {
  return hasErrorNamed(error, 'TimeoutError');
}

/** An error of that name, or one wrapping it as its `cause` (checked by name: it may come from another realm). */
function hasErrorNamed(error: unknown, name: string): boolean {
  let current = error;
  for (let depth = 0; typeof current === 'object' && current !== null && depth < 5; depth += 1) {
    if ((current as { name?: unknown }).name === name) return true;
    current = (current as { cause?: unknown }).cause;
  }
  return false;
}

/**
 * The shape executeQueryPlan relies on: `data` an object (or null) and `errors` a list; for an
 * entity fetch, `_entities` has exactly one entry per representation sent.
 */
function assertUsableResponse(response: GatewayGraphQLResponse, variables: Record<string, unknown> | undefined): void {
  const { data, errors } = response as { data?: unknown; errors?: unknown };
  if (errors !== undefined && !(Array.isArray(errors) && errors.every(isErrorObject))) {
    throw new InvalidSubgraphResponseError('`errors` is not a list of GraphQL errors');
  }
  if (data === undefined || data === null) {
    if (!Array.isArray(errors) || errors.length === 0) throw new InvalidSubgraphResponseError('neither `data` nor `errors`');
    return;
  }
  if (typeof data !== 'object' || Array.isArray(data)) throw new InvalidSubgraphResponseError('`data` is not an object');
  const representations = variables?.representations;
  if (!Array.isArray(representations)) return;
  const entities = (data as { _entities?: unknown })._entities;
  if (!Array.isArray(entities) || entities.length !== representations.length) {
    throw new InvalidSubgraphResponseError(`expected \`_entities\` with ${representations.length} entries`);
  }
  if (!entities.every((entity) => entity === null || (typeof entity === 'object' && !Array.isArray(entity)))) {
    throw new InvalidSubgraphResponseError('`_entities` holds something other than objects');
  }
}

function isErrorObject(value: unknown): boolean {
  return typeof value === 'object' && value !== null && typeof (value as { message?: unknown }).message === 'string';
}

/**
 * No data and only errors without a path: the subgraph refused the operation as a whole (it does
 * not know a field the supergraph routes to it, or it broke before executing). For the client
 * that is the subgraph being unusable, not a problem with their query, which the gateway already
 * validated against the supergraph.
 */
function isRequestLevelRejection(response: GatewayGraphQLResponse): boolean {
  return (
    (response.data === undefined || response.data === null) &&
    (response.errors?.length ?? 0) > 0 &&
    (response.errors ?? []).every((error) => !error.path || error.path.length === 0)
  );
}
