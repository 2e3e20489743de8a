export * from './identity-server';
export * from './demo-credentials';
export * from './demo-tokens';
export { DEFAULT_REALM_PATH, RealmFileError, loadRealm, parseRealm, effectiveRoles } from './realm/realm-file';
export type { Realm, RealmClient, RealmRole, RealmUser, AttributeClaim } from './realm/realm-file';
export { KEY_FILE_NAME, MAX_PUBLISHED_KEYS, KeyFileError, rotateSigningKeys, loadOrCreateKeys, publicJwks } from './keys/key-store';
export { KEYCLOAK_ROUTES } from './provider/keycloak-routes';
