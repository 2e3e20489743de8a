import { GraphQLError } from 'graphql';
import { BadUserInputError, createErrorFormatter } from './errors';
import { createLogger } from './logger';

const logger = createLogger('test', 'silent');
const format = createErrorFormatter(logger);

describe('createErrorFormatter', () => {
  it('passes domain errors through with their code and details', () => {
    const error = new GraphQLError('NIK must be exactly 16 digits', { originalError: new BadUserInputError('NIK must be exactly 16 digits', { argument: 'nik', rule: 'NIK_LENGTH' }) });
    expect(format({ message: error.message, path: ['citizen'] }, error)).toEqual({
      message: 'NIK must be exactly 16 digits',
      path: ['citizen'],
      extensions: { code: 'BAD_USER_INPUT', argument: 'nik', rule: 'NIK_LENGTH' },
    });
  });

  it('masks unknown errors and gives a correlation id', () => {
    const error = new GraphQLError('relation "x" does not exist', { originalError: new Error('relation "x" does not exist') });
    const formatted = format({ message: error.message, path: ['citizen'], extensions: { code: 'INTERNAL_SERVER_ERROR', stacktrace: ['at x'] } }, error);
    expect(formatted.message).toBe('Internal server error');
    expect(formatted.extensions).toEqual({ code: 'INTERNAL_SERVER_ERROR', correlationId: expect.stringMatching(/^[0-9a-f-]{36}$/) });
  });

  it('keeps GraphQL validation errors, without stack traces', () => {
    const error = new GraphQLError('Cannot query field "x" on type "Query".', { extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } });
    const formatted = format({ message: error.message, extensions: { code: 'GRAPHQL_VALIDATION_FAILED', stacktrace: ['a'] } }, error);
    expect(formatted).toEqual({ message: error.message, extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } });
  });
});

describe('createErrorFormatter with exposeCodes', () => {
  const gatewayFormat = createErrorFormatter(logger, { exposeCodes: ['SUBGRAPH_TIMEOUT'] });
  const subgraphError = (code: string) => {
    // As @apollo/gateway builds it: the subgraph's JSON error (not an Error instance) as originalError.
    const original = { message: 'The tax service did not answer within 400 ms', extensions: { code, serviceName: 'tax' } };
    return new GraphQLError(original.message, { originalError: original as unknown as Error, path: ['citizen', 'npwp'], extensions: original.extensions });
  };

  it('passes the extra codes through with their extensions', () => {
    const error = subgraphError('SUBGRAPH_TIMEOUT');
    expect(gatewayFormat({ message: error.message, path: error.path, extensions: error.extensions }, error)).toEqual({
      message: 'The tax service did not answer within 400 ms',
      path: ['citizen', 'npwp'],
      extensions: { code: 'SUBGRAPH_TIMEOUT', serviceName: 'tax' },
    });
  });

  it('still masks codes it was not given', () => {
    const error = subgraphError('SUBGRAPH_TIMEOUT');
    expect(format({ message: error.message, path: error.path, extensions: error.extensions }, error).message).toBe('Internal server error');
  });
});
