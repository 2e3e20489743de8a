import { GraphQLError, type GraphQLFormattedError } from 'graphql';
import type { Logger } from './logger';

export type ErrorCode =
  | 'BAD_USER_INPUT'
  | 'UNAUTHENTICATED'
  | 'FORBIDDEN'
  | 'NOT_FOUND'
  | 'CONFLICT'
  | 'SERVICE_UNAVAILABLE'
  /** The audit log could not record a personal-data access, so the data is withheld (audit/). */
  | 'AUDIT_UNAVAILABLE'
  | 'INTERNAL_SERVER_ERROR';

/** Every expected failure in Simpul: a stable code for clients, a message for people. */
export class DomainError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = new.target.name;
  }

  toGraphQLError(): GraphQLError {
    return new GraphQLError(this.message, { extensions: { ...this.details, code: this.code } });
  }
}

export class BadUserInputError extends DomainError {
  /** `rule` names the violated rule in machine form (e.g. `NIK_LENGTH`). */
  constructor(message: string, details: { argument?: string; rule?: string } & Record<string, unknown> = {}) {
    super('BAD_USER_INPUT', message, details);
  }
}

const EXPOSED_CODES = new Set<string>([
  'BAD_USER_INPUT',
  'UNAUTHENTICATED',
  'FORBIDDEN',
  'NOT_FOUND',
  'CONFLICT',
  'SERVICE_UNAVAILABLE',
  'AUDIT_UNAVAILABLE',
  'GRAPHQL_PARSE_FAILED',
  'GRAPHQL_VALIDATION_FAILED',
  'PERSISTED_QUERY_NOT_FOUND',
  'PERSISTED_QUERY_NOT_SUPPORTED',
  'OPERATION_RESOLUTION_FAILURE',
  'BAD_REQUEST',
]);

export interface ErrorFormatterOptions {
  /**
   * Further codes a server deliberately puts on its errors and clients may see (the gateway's
   * `SUBGRAPH_UNAVAILABLE`/`SUBGRAPH_TIMEOUT`); every other unknown code is masked.
   */
  exposeCodes?: Iterable<string>;
}

/**
 * Apollo `formatError`: domain errors and GraphQL request errors pass through with their code;
 * anything else is an unknown failure, logged with the correlation id and masked for the client.
 */
export function createErrorFormatter(logger: Logger, options: ErrorFormatterOptions = {}) {
  const exposed = new Set<string>([...EXPOSED_CODES, ...(options.exposeCodes ?? [])]);
  return (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
    const original = error instanceof GraphQLError ? error.originalError : error;
    if (original instanceof DomainError) {
      return { ...formatted, message: original.message, extensions: { ...original.details, code: original.code } };
    }
    const code = formatted.extensions?.code;
    if (typeof code === 'string' && exposed.has(code) && !(original instanceof Error && !(original instanceof GraphQLError))) {
      const { stacktrace: _stacktrace, ...extensions } = formatted.extensions ?? {};
      return { ...formatted, extensions };
    }
    const correlationId = crypto.randomUUID();
    logger.error({ err: original ?? error, correlationId, path: formatted.path }, 'unexpected error');
    return {
      message: 'Internal server error',
      path: formatted.path,
      locations: formatted.locations,
      extensions: { code: 'INTERNAL_SERVER_ERROR', correlationId },
    };
  };
}
