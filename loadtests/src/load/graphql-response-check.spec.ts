import { classifyGraphQLResponse } from './graphql-response-check';

const citizen = JSON.stringify({ data: { citizen: { nik: '3510014509900003', businesses: [] } } });

describe('classifyGraphQLResponse', () => {
  it('accepts a 200 with the required data', () => {
    expect(classifyGraphQLResponse(200, citizen, ['citizen'])).toBe('ok');
  });

  it('fails any status other than 200, whatever the body', () => {
    expect(classifyGraphQLResponse(500, citizen, ['citizen'])).toBe('http-status');
    expect(classifyGraphQLResponse(204, '', [])).toBe('http-status');
  });

  it('fails bodies that are not a JSON object', () => {
    expect(classifyGraphQLResponse(200, '<html>Bad gateway</html>', [])).toBe('invalid-body');
    expect(classifyGraphQLResponse(200, '[1,2]', [])).toBe('invalid-body');
  });

  it('fails partial results that carry errors', () => {
    const partial = JSON.stringify({
      data: { citizen: { nik: '3510014509900003', businesses: null } },
      errors: [{ message: 'licensing timed out', path: ['citizen', 'businesses'] }],
    });
    expect(classifyGraphQLResponse(200, partial, ['citizen'])).toBe('graphql-errors');
  });

  it('fails a null required field (e.g. an unknown NIK) and a missing data object', () => {
    expect(classifyGraphQLResponse(200, JSON.stringify({ data: { citizen: null } }), ['citizen'])).toBe('missing-data');
    expect(classifyGraphQLResponse(200, JSON.stringify({ data: {} }), ['citizen'])).toBe('missing-data');
    expect(classifyGraphQLResponse(200, JSON.stringify({ extensions: {} }), [])).toBe('missing-data');
  });
});
