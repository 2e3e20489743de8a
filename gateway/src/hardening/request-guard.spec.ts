import { HeaderMap, type HTTPGraphQLRequest } from '@apollo/server';
import { parsePersistedQueryList, sha256Hex } from './persisted-queries';
import { screenRequest } from './request-guard';

const LISTED = 'query Status { status }';
const list = parsePersistedQueryList({ [sha256Hex(LISTED)]: LISTED });
const persisted = (hash: string) => ({ persistedQuery: { version: 1, sha256Hash: hash } });

function post(body: unknown): HTTPGraphQLRequest {
  return { method: 'POST', headers: new HeaderMap([['content-type', 'application/json']]), search: '', body };
}
function get(params: Record<string, string>): HTTPGraphQLRequest {
  return { method: 'GET', headers: new HeaderMap(), search: `?${new URLSearchParams(params).toString()}`, body: '' };
}

describe('screenRequest', () => {
  it('refuses a batch (a JSON array body) in every mode', () => {
    for (const mode of [{}, { apq: true }, { allowList: list }]) {
      expect(screenRequest(post([{ query: LISTED }, { query: LISTED }]), mode)).toMatchObject({
        status: 400,
        extensions: { code: 'BAD_REQUEST', rule: 'BATCHED_REQUEST' },
      });
    }
  });

  it('passes every single request through untouched without an allow-list', () => {
    for (const request of [post({ query: '{ anything }' }), post({ extensions: persisted(sha256Hex(LISTED)) }), post({ query: LISTED, extensions: persisted(sha256Hex(LISTED)) })]) {
      expect(screenRequest(request, { apq: true })).toEqual({ request });
    }
  });

  it('refuses an automatic persisted query whose hash is not its text', () => {
    expect(screenRequest(post({ query: '{ other }', extensions: persisted(sha256Hex(LISTED)) }), { apq: true })).toMatchObject({
      status: 400,
      extensions: { code: 'BAD_REQUEST', rule: 'PERSISTED_QUERY_HASH_MISMATCH' },
    });
  });

  it('rewrites a listed id to its text and drops the persisted-query extension (POST)', () => {
    const screened = screenRequest(post({ extensions: { ...persisted(sha256Hex(LISTED)), trace: true }, variables: { a: 1 } }), { allowList: list });
    expect(screened).toEqual({ request: expect.objectContaining({ body: { query: LISTED, variables: { a: 1 }, extensions: { trace: true } } }) });
  });

  it('rewrites a listed id to its text (GET), keeping variables and operation name only', () => {
    const screened = screenRequest(
      get({ extensions: JSON.stringify(persisted(sha256Hex(LISTED))), operationName: 'Status', variables: '{}', junk: 'x' }),
      { allowList: list },
    );
    if (!('request' in screened)) throw new Error('refused');
    const params = new URLSearchParams(screened.request.search);
    expect(Object.fromEntries(params)).toEqual({ query: LISTED, operationName: 'Status', variables: '{}' });
  });

  it('accepts the exact listed text', () => {
    const request = post({ query: LISTED });
    expect(screenRequest(request, { allowList: list })).toEqual({ request: expect.objectContaining({ body: { query: LISTED } }) });
  });

  it.each([
    ['an unknown id', post({ extensions: persisted(sha256Hex('{ other }')) }), 'UNKNOWN_ID'],
    ['a malformed persisted-query extension', post({ query: LISTED, extensions: { persistedQuery: { version: 1 } } }), 'UNKNOWN_ID'],
    ['unlisted full text', post({ query: '{ citizens { nik } }' }), 'NOT_LISTED'],
    ['unlisted full text by GET', get({ query: '{ citizens { nik } }' }), 'NOT_LISTED'],
    ['an APQ registration of unlisted text', post({ query: '{ other }', extensions: persisted(sha256Hex('{ other }')) }), 'UNKNOWN_ID'],
    ['a listed id with other text', post({ query: '{ other }', extensions: persisted(sha256Hex(LISTED)) }), 'ID_AND_TEXT_DIFFER'],
  ])('refuses %s with PERSISTED_QUERY_NOT_IN_LIST', (_what, request, reason) => {
    expect(screenRequest(request, { allowList: list })).toMatchObject({ status: 400, extensions: { code: 'PERSISTED_QUERY_NOT_IN_LIST', reason } });
  });

  it('leaves requests without any operation for Apollo Server to refuse', () => {
    const request = post({ variables: {} });
    expect(screenRequest(request, { allowList: list })).toEqual({ request });
  });
});
