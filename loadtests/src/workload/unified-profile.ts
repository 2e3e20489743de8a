import { UNIFIED_PROFILE_QUERY } from '@simpul/cli';

export { UNIFIED_PROFILE_QUERY };

/** The data field a unified-profile response must carry (non-null) to count as a success. */
export const UNIFIED_PROFILE_REQUIRED_FIELDS = ['citizen'];

/** One JSON request body per NIK, in the given order. */
export function unifiedProfileBodies(niks: readonly string[]): string[] {
  return niks.map((nik) =>
    JSON.stringify({ query: UNIFIED_PROFILE_QUERY, operationName: 'UnifiedProfile', variables: { nik } }),
  );
}
