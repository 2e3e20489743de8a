import type { ParseResult } from './parse-result';

const CANONICAL_UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Accepts the canonical 8-4-4-4-12 hexadecimal form (any version) and normalises it to lower case,
 * the form Postgres returns, so loader keys match the rows they load. `label` names the value in the message.
 */
export function parseUuid(value: string, label = 'id'): ParseResult<string> {
  if (!CANONICAL_UUID.test(value)) {
    return { ok: false, rule: 'UUID', message: `${label} must be a UUID: 32 hexadecimal digits grouped 8-4-4-4-12` };
  }
  return { ok: true, value: value.toLowerCase() };
}
