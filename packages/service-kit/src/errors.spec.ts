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
