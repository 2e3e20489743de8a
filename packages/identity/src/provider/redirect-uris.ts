/**
 * Keycloak's redirect-URI rule: a registered URI matches exactly, or, when it ends with `*`, any
 * URI on the same origin whose path starts with the part before the `*` (query and fragment of
 * the candidate ignored). A candidate with credentials in its authority never matches.
 */
export function redirectUriMatches(registered: readonly string[], candidate: string): boolean {
  if (registered.includes(candidate)) return true;
  const url = URL.parse(candidate);
  if (!url || url.username || url.password) return false;
  return registered.some((pattern) => {
    if (!pattern.endsWith('*')) return false;
    const prefix = URL.parse(pattern.slice(0, -1));
    if (!prefix || prefix.origin === 'null') return false;
    return url.origin === prefix.origin && url.pathname.startsWith(prefix.pathname);
  });
}
