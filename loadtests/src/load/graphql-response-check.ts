/** What one GraphQL-over-HTTP response counts as in a load run. */
export type ResponseVerdict = 'ok' | 'http-status' | 'invalid-body' | 'graphql-errors' | 'missing-data';

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * A response succeeds only when it is HTTP 200, valid JSON, has no `errors` entry (partial results
 * with errors are failures too), and every field in `requiredDataFields` under `data` is non-null —
 * so an unknown NIK or a gateway that nulled a field after a subgraph failure cannot pass as success.
 */
export function classifyGraphQLResponse(
  status: number,
  body: string,
  requiredDataFields: readonly string[],
): ResponseVerdict {
  if (status !== 200) return 'http-status';
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return 'invalid-body';
  }
  if (!isRecord(parsed)) return 'invalid-body';
  if ('errors' in parsed) return 'graphql-errors';
  const data = parsed.data;
  if (!isRecord(data)) return 'missing-data';
  return requiredDataFields.every((field) => data[field] !== null && data[field] !== undefined) ? 'ok' : 'missing-data';
}
