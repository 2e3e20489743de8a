import { readFileSync } from 'node:fs';
import { DEFAULT_REALM_PATH } from '../src';

/*
 * Evidence, without a Keycloak to run, that infra/keycloak/simpul-realm.json is a realm Keycloak
 * imports as meant. Keycloak reads the file with Jackson into org.keycloak.representations.idm.*
 * and its ObjectMapper keeps FAIL_ON_UNKNOWN_PROPERTIES on (core/.../util/JsonSerialization.java),
 * so one unknown key aborts `kc.sh import` ("Unrecognized field ... not marked as ignorable",
 * keycloak/keycloak#49152). Other mistakes import without an error and break later: the importer
 * creates a realm role a user names but the file does not define (createRoleMappings), and copies a
 * protocol mapper's id and config as they are (toModel(ProtocolMapperRepresentation)), so a mapper id
 * no provider has or a config key no mapper reads is stored and has no effect.
 *
 * The lists below were taken from the keycloak/keycloak sources stored for the search tool, at the
 * commits given (not the 26.4.0 tag; the file says keycloakVersion 26.4.0). RealmRepresentation is
 * from the 26.x line (it has adminPermissionsEnabled, organizations, bruteForceStrategy):
 *   core/src/main/java/org/keycloak/representations/idm/
 *     RealmRepresentation.java            @ 00c5301c104a6e31ab7f6d9b93107d0ba6e25252
 *     ClientRepresentation.java           @ 67f2db38642f6249ffc25ce7a35c67968b88afe1
 *     RoleRepresentation.java             @ 5ffdbd9bc6373efa2c52cd4eb6d5b54515fe22e0
 *     RolesRepresentation.java            @ ecd43b181d9e53965379b544a011cef4f828852b
 *     ClientScopeRepresentation.java      @ 5ffdbd9bc6373efa2c52cd4eb6d5b54515fe22e0
 *     ProtocolMapperRepresentation.java   @ 498216696d9b60638ea95fcc51fdfbacb8d72236
 *     ComponentExportRepresentation.java  @ 498216696d9b60638ea95fcc51fdfbacb8d72236
 *     CredentialRepresentation.java       @ 85a3726a4c6a9c5a922581247f051bdb0a180aca
 *     GroupRepresentation.java            @ f0be0d3b25c76a0bcb9ee1df9024784e648b30ff
 *     AbstractUserRepresentation.java     @ 598e038e1bb21ff3d9b8b84a3771e5c51fbeb3a0, UserRepresentation.java (26.x)
 *   services/src/main/java/org/keycloak/protocol/oidc/mappers/
 *     AudienceProtocolMapper.java, UserAttributeMapper.java, HardcodedClaim.java (PROVIDER_ID, config
 *     properties, the token-mapper interfaces each implements), OIDCAttributeMapperHelper.java (config
 *     keys of those interfaces); server-spi-private/.../protocol/ProtocolMapperUtils.java
 *   services/.../managers/RealmManager.java (importRealm: default role, offline_access, validators),
 *   model/storage-private/.../datastore/DefaultExportImportManager.java and server-spi-private/.../
 *   RepresentationToModel.java (importRoles, createUser, createRoleMappings: what the importer resolves,
 *   fails on or creates), server-spi-private/.../utils/ReservedCharValidator.java.
 * Cross-checked with the typed definitions of @keycloak/keycloak-admin-client 26.4.0.
 * Listed: every property with a setter, plus the deprecated ones `kc.sh export` still writes
 * (requiredCredentials, totp, consentRequired). Left out: properties that exist only in some 26.x
 * releases (verifiableCredentialsEnabled, oid4VciEnabled, passkey settings) and the deprecated
 * leftovers of older versions. Adding a property here needs its source line, as above.
 */

type Kind =
  | 'string'
  | 'boolean'
  | 'int'
  | 'long'
  | 'string[]'
  | 'map<string>'
  | 'map<string[]>'
  | 'map<boolean>'
  | 'map<int>'
  | 'object'
  | 'array'
  | { object: string }
  | { array: string }
  | { arrayMap: string };
type Shape = Record<string, Kind>;

const REPRESENTATIONS: Record<string, Shape> = {
  RealmRepresentation: {
    ...props('string', [
      'id', 'realm', 'displayName', 'displayNameHtml', 'defaultSignatureAlgorithm', 'sslRequired', 'passwordPolicy',
      'otpPolicyType', 'otpPolicyAlgorithm', 'bruteForceStrategy', 'loginTheme', 'accountTheme', 'adminTheme', 'emailTheme',
      'defaultLocale', 'browserFlow', 'registrationFlow', 'directGrantFlow', 'resetCredentialsFlow', 'clientAuthenticationFlow',
      'dockerAuthenticationFlow', 'firstBrokerLoginFlow', 'keycloakVersion',
      'webAuthnPolicyRpEntityName', 'webAuthnPolicyRpId', 'webAuthnPolicyAttestationConveyancePreference',
      'webAuthnPolicyAuthenticatorAttachment', 'webAuthnPolicyRequireResidentKey', 'webAuthnPolicyUserVerificationRequirement',
      'webAuthnPolicyPasswordlessRpEntityName', 'webAuthnPolicyPasswordlessRpId', 'webAuthnPolicyPasswordlessAttestationConveyancePreference',
      'webAuthnPolicyPasswordlessAuthenticatorAttachment', 'webAuthnPolicyPasswordlessRequireResidentKey',
      'webAuthnPolicyPasswordlessUserVerificationRequirement',
    ]),
    ...props('int', [
      'notBefore', 'refreshTokenMaxReuse', 'accessTokenLifespan', 'accessTokenLifespanForImplicitFlow', 'ssoSessionIdleTimeout',
      'ssoSessionMaxLifespan', 'ssoSessionIdleTimeoutRememberMe', 'ssoSessionMaxLifespanRememberMe', 'offlineSessionIdleTimeout',
      'offlineSessionMaxLifespan', 'clientSessionIdleTimeout', 'clientSessionMaxLifespan', 'clientOfflineSessionIdleTimeout',
      'clientOfflineSessionMaxLifespan', 'accessCodeLifespan', 'accessCodeLifespanUserAction', 'accessCodeLifespanLogin',
      'actionTokenGeneratedByAdminLifespan', 'actionTokenGeneratedByUserLifespan', 'oauth2DeviceCodeLifespan', 'oauth2DevicePollingInterval',
      'maxTemporaryLockouts', 'maxFailureWaitSeconds', 'minimumQuickLoginWaitSeconds', 'waitIncrementSeconds', 'maxDeltaTimeSeconds',
      'failureFactor', 'otpPolicyInitialCounter', 'otpPolicyDigits', 'otpPolicyLookAheadWindow', 'otpPolicyPeriod',
      'webAuthnPolicyCreateTimeout', 'webAuthnPolicyPasswordlessCreateTimeout',
    ]),
    ...props('long', ['quickLoginCheckMilliSeconds', 'eventsExpiration']),
    ...props('boolean', [
      'revokeRefreshToken', 'offlineSessionMaxLifespanEnabled', 'enabled', 'registrationAllowed', 'registrationEmailAsUsername',
      'rememberMe', 'verifyEmail', 'loginWithEmailAllowed', 'duplicateEmailsAllowed', 'resetPasswordAllowed', 'editUsernameAllowed',
      'bruteForceProtected', 'permanentLockout', 'otpPolicyCodeReusable', 'webAuthnPolicyAvoidSameAuthenticatorRegister',
      'webAuthnPolicyPasswordlessAvoidSameAuthenticatorRegister', 'eventsEnabled', 'adminEventsEnabled', 'adminEventsDetailsEnabled',
      'internationalizationEnabled', 'userManagedAccessAllowed', 'organizationsEnabled', 'adminPermissionsEnabled',
    ]),
    ...props('string[]', [
      'requiredCredentials', 'otpSupportedApplications', 'defaultGroups', 'defaultDefaultClientScopes', 'defaultOptionalClientScopes',
      'eventsListeners', 'enabledEventTypes', 'supportedLocales', 'webAuthnPolicySignatureAlgorithms', 'webAuthnPolicyAcceptableAaguids',
      'webAuthnPolicyExtraOrigins', 'webAuthnPolicyPasswordlessSignatureAlgorithms', 'webAuthnPolicyPasswordlessAcceptableAaguids',
      'webAuthnPolicyPasswordlessExtraOrigins',
    ]),
    ...props('map<string>', ['browserSecurityHeaders', 'smtpServer', 'attributes']),
    ...props('object', ['localizationTexts', 'clientProfiles', 'clientPolicies', 'clientScopeMappings']),
    ...props('array', [
      'scopeMappings', 'userFederationProviders', 'userFederationMappers', 'identityProviders', 'identityProviderMappers',
      'authenticationFlows', 'authenticatorConfig', 'requiredActions', 'organizations',
    ]),
    roles: { object: 'RolesRepresentation' },
    defaultRole: { object: 'RoleRepresentation' },
    groups: { array: 'GroupRepresentation' },
    users: { array: 'UserRepresentation' },
    federatedUsers: { array: 'UserRepresentation' },
    clients: { array: 'ClientRepresentation' },
    clientScopes: { array: 'ClientScopeRepresentation' },
    protocolMappers: { array: 'ProtocolMapperRepresentation' },
    components: { arrayMap: 'ComponentExportRepresentation' },
  },
  RolesRepresentation: {
    realm: { array: 'RoleRepresentation' },
    client: { arrayMap: 'RoleRepresentation' },
  },
  RoleRepresentation: {
    ...props('string', ['id', 'name', 'description', 'containerId']),
    ...props('boolean', ['composite', 'clientRole']),
    attributes: 'map<string[]>',
    composites: { object: 'RoleRepresentation.Composites' },
  },
  'RoleRepresentation.Composites': { realm: 'string[]', client: 'map<string[]>' },
  GroupRepresentation: {
    // description: 26.x (@keycloak/keycloak-admin-client 26.4.0 GroupRepresentation); the rest from the Java class.
    ...props('string', ['id', 'name', 'description', 'path']),
    attributes: 'map<string[]>',
    realmRoles: 'string[]',
    clientRoles: 'map<string[]>',
    subGroups: { array: 'GroupRepresentation' },
    access: 'map<boolean>',
  },
  ClientRepresentation: {
    ...props('string', [
      'id', 'clientId', 'name', 'description', 'type', 'rootUrl', 'adminUrl', 'baseUrl', 'clientAuthenticatorType', 'secret',
      'registrationAccessToken', 'protocol', 'origin',
    ]),
    ...props('boolean', [
      'surrogateAuthRequired', 'enabled', 'alwaysDisplayInConsole', 'bearerOnly', 'consentRequired', 'standardFlowEnabled',
      'implicitFlowEnabled', 'directAccessGrantsEnabled', 'serviceAccountsEnabled', 'authorizationServicesEnabled', 'publicClient',
      'frontchannelLogout', 'fullScopeAllowed',
    ]),
    ...props('int', ['notBefore', 'nodeReRegistrationTimeout']),
    ...props('string[]', ['redirectUris', 'webOrigins', 'defaultClientScopes', 'optionalClientScopes']),
    ...props('map<string>', ['attributes', 'authenticationFlowBindingOverrides']),
    registeredNodes: 'map<int>',
    access: 'map<boolean>',
    authorizationSettings: 'object',
    protocolMappers: { array: 'ProtocolMapperRepresentation' },
  },
  ClientScopeRepresentation: {
    ...props('string', ['id', 'name', 'description', 'protocol']),
    attributes: 'map<string>',
    protocolMappers: { array: 'ProtocolMapperRepresentation' },
  },
  ProtocolMapperRepresentation: {
    ...props('string', ['id', 'name', 'protocol', 'protocolMapper']),
    config: 'map<string>',
    consentRequired: 'boolean', // deprecated, written by kc.sh export, read through the field
  },
  ComponentExportRepresentation: {
    ...props('string', ['id', 'name', 'providerId', 'subType']),
    subComponents: { arrayMap: 'ComponentExportRepresentation' },
    config: 'map<string[]>',
  },
  UserRepresentation: {
    ...props('string', ['id', 'username', 'firstName', 'lastName', 'email', 'self', 'origin', 'federationLink', 'serviceAccountClientId']),
    ...props('boolean', ['emailVerified', 'enabled', 'totp']), // totp: deprecated, written by kc.sh export
    createdTimestamp: 'long',
    notBefore: 'int',
    attributes: 'map<string[]>',
    userProfileMetadata: 'object',
    credentials: { array: 'CredentialRepresentation' },
    ...props('string[]', ['disableableCredentialTypes', 'requiredActions', 'realmRoles', 'groups']),
    clientRoles: 'map<string[]>',
    federatedIdentities: 'array',
    clientConsents: 'array',
    access: 'map<boolean>',
  },
  CredentialRepresentation: {
    ...props('string', ['id', 'type', 'userLabel', 'secretData', 'credentialData', 'value', 'federationLink']),
    createdDate: 'long',
    priority: 'int',
    temporary: 'boolean',
  },
};

/**
 * OIDC protocol mappers by PROVIDER_ID, with every config key the mapper declares. The token keys
 * follow the interfaces the class implements (OIDCAttributeMapperHelper.addIncludeInTokensConfig):
 * OIDCIDTokenMapper id.token.claim; OIDCAccessTokenMapper access.token.claim and lightweight.claim;
 * UserInfoTokenMapper userinfo.token.claim; OIDCAccessTokenResponseMapper access.tokenResponse.claim;
 * TokenIntrospectionTokenMapper introspection.token.claim.
 */
const PROTOCOL_MAPPERS: Record<string, { keys: string[]; required: string[][] }> = {
  // AudienceProtocolMapper: OIDCAccessTokenMapper, OIDCIDTokenMapper, TokenIntrospectionTokenMapper.
  'oidc-audience-mapper': {
    keys: ['included.client.audience', 'included.custom.audience', 'id.token.claim', 'access.token.claim', 'lightweight.claim', 'introspection.token.claim'],
    required: [['included.client.audience', 'included.custom.audience']],
  },
  // UserAttributeMapper: OIDCAccessTokenMapper, OIDCIDTokenMapper, UserInfoTokenMapper, TokenIntrospectionTokenMapper.
  'oidc-usermodel-attribute-mapper': {
    keys: [
      'user.attribute', 'claim.name', 'jsonType.label', 'id.token.claim', 'access.token.claim', 'lightweight.claim', 'userinfo.token.claim',
      'introspection.token.claim', 'multivalued', 'aggregate.attrs',
    ],
    required: [['user.attribute'], ['claim.name']],
  },
  // HardcodedClaim: OIDCAccessTokenMapper, OIDCIDTokenMapper, UserInfoTokenMapper, OIDCAccessTokenResponseMapper, TokenIntrospectionTokenMapper.
  'oidc-hardcoded-claim-mapper': {
    keys: [
      'claim.name', 'claim.value', 'jsonType.label', 'id.token.claim', 'access.token.claim', 'lightweight.claim', 'userinfo.token.claim',
      'access.tokenResponse.claim', 'introspection.token.claim',
    ],
    required: [['claim.name'], ['claim.value']],
  },
};
const BOOLEAN_MAPPER_KEYS = new Set([
  'id.token.claim', 'access.token.claim', 'lightweight.claim', 'userinfo.token.claim', 'access.tokenResponse.claim',
  'introspection.token.claim', 'multivalued', 'aggregate.attrs',
]);
const JSON_TYPES = ['String', 'long', 'int', 'boolean', 'JSON'];

// ReservedCharValidator: realm id and name (RFC 3986 reserved characters), supported locales (also { } %).
const RESERVED_CHARS = /[:/?#@!$&()*+,;=[\]\\]/;
const RESERVED_LOCALE_CHARS = /[:/?#@!$&()*+,;=[\]\\{}%]/;
const USER_PROFILE_PROVIDER = 'org.keycloak.userprofile.UserProfileProvider';
const SERVICE_ACCOUNT_PREFIX = 'service-account-';
const CONSOLE_CLIENT = 'mpp-console';

function props<K extends Kind>(kind: K, names: string[]): Record<string, K> {
  return Object.fromEntries(names.map((name) => [name, kind]));
}

// ---------------------------------------------------------------------------------------------
// The checks. Each returns the problems it finds, one sentence each; [] means clean.
// ---------------------------------------------------------------------------------------------

type Json = Record<string, unknown>;
interface RealmRep extends Json {
  id?: string;
  realm?: string;
  roles?: { realm?: RoleRep[]; client?: Record<string, RoleRep[]> };
  defaultRole?: RoleRep;
  groups?: { name?: string; path?: string; subGroups?: unknown[] }[];
  clients?: ClientRep[];
  clientScopes?: { name?: string; protocolMappers?: MapperRep[] }[];
  protocolMappers?: MapperRep[];
  users?: UserRep[];
  components?: Record<string, { providerId?: string; config?: Record<string, string[]> }[]>;
}
interface RoleRep extends Json {
  id?: string;
  name?: string;
  composite?: boolean;
  clientRole?: boolean;
  containerId?: string;
  composites?: { realm?: string[]; client?: Record<string, string[]> };
}
interface ClientRep extends Json {
  clientId?: string;
  protocol?: string;
  publicClient?: boolean;
  bearerOnly?: boolean;
  secret?: string;
  clientAuthenticatorType?: string;
  standardFlowEnabled?: boolean;
  implicitFlowEnabled?: boolean;
  directAccessGrantsEnabled?: boolean;
  serviceAccountsEnabled?: boolean;
  redirectUris?: string[];
  webOrigins?: string[];
  attributes?: Record<string, string>;
  protocolMappers?: MapperRep[];
}
interface MapperRep extends Json {
  name?: string;
  protocol?: string;
  protocolMapper?: string;
  config?: Record<string, string>;
}
interface UserRep extends Json {
  username?: string;
  enabled?: boolean;
  firstName?: string;
  lastName?: string;
  email?: string;
  attributes?: Record<string, string[]>;
  credentials?: ({ type?: string; value?: string; temporary?: boolean } & Json)[];
  realmRoles?: string[];
  clientRoles?: Record<string, string[]>;
  groups?: string[];
  serviceAccountClientId?: string;
}

function isPlainObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function kindProblem(value: unknown, kind: Kind, path: string, problems: string[]): void {
  const fail = (expected: string): void => {
    problems.push(`${path}: expected ${expected}, found ${JSON.stringify(value)}`);
  };
  if (typeof kind === 'object') {
    if ('object' in kind) {
      if (!isPlainObject(value)) return fail(`a ${kind.object} object`);
      return shapeProblemsAt(value, kind.object, path, problems);
    }
    if ('array' in kind) {
      if (!Array.isArray(value)) return fail(`an array of ${kind.array}`);
      value.forEach((item, index) => {
        if (!isPlainObject(item)) problems.push(`${path}[${index}]: expected a ${kind.array} object`);
        else shapeProblemsAt(item, kind.array, `${path}[${index}]`, problems);
      });
      return;
    }
    if (!isPlainObject(value)) return fail(`an object of ${kind.arrayMap} arrays`);
    for (const [key, items] of Object.entries(value)) kindProblem(items, { array: kind.arrayMap }, `${path}.${key}`, problems);
    return;
  }
  switch (kind) {
    case 'string':
    case 'boolean':
      if (typeof value !== kind) fail(kind);
      return;
    case 'int':
      if (!Number.isInteger(value) || (value as number) < -(2 ** 31) || (value as number) > 2 ** 31 - 1) fail('a 32-bit integer (Java Integer)');
      return;
    case 'long':
      if (!Number.isSafeInteger(value)) fail('an integer (Java Long)');
      return;
    case 'string[]':
      if (!Array.isArray(value) || !value.every((item) => typeof item === 'string')) fail('an array of strings');
      return;
    case 'map<string>':
    case 'map<boolean>':
      if (!isPlainObject(value) || !Object.values(value).every((item) => typeof item === kind.slice(4, -1))) fail(`an object of ${kind.slice(4, -1)} values`);
      return;
    case 'map<int>':
      if (!isPlainObject(value) || !Object.values(value).every((item) => Number.isInteger(item))) fail('an object of integer values');
      return;
    case 'map<string[]>':
      if (!isPlainObject(value) || !Object.values(value).every((item) => Array.isArray(item) && item.every((entry) => typeof entry === 'string'))) {
        fail('an object of string arrays');
      }
      return;
    case 'object':
      if (!isPlainObject(value)) fail('an object');
      return;
    case 'array':
      if (!Array.isArray(value)) fail('an array');
      return;
  }
}

function shapeProblemsAt(value: Json, shapeName: string, path: string, problems: string[]): void {
  const shape = REPRESENTATIONS[shapeName];
  if (!shape) throw new Error(`no representation ${shapeName}`);
  for (const [key, item] of Object.entries(value)) {
    const kind = shape[key];
    if (!kind) problems.push(`${path}.${key}: ${shapeName} has no property ${JSON.stringify(key)} (Keycloak's import fails on it)`);
    else kindProblem(item, kind, `${path}.${key}`, problems);
  }
}

/** Every key is a property of the Keycloak representation class at that place, with its JSON type. */
export function propertyProblems(rep: Json): string[] {
  const problems: string[] = [];
  shapeProblemsAt(rep, 'RealmRepresentation', 'realm', problems);
  return problems;
}

function allMappers(rep: RealmRep): { where: string; mappers: MapperRep[] }[] {
  return [
    { where: 'realm', mappers: rep.protocolMappers ?? [] },
    ...(rep.clients ?? []).map((client) => ({ where: `client ${client.clientId}`, mappers: client.protocolMappers ?? [] })),
    ...(rep.clientScopes ?? []).map((scope) => ({ where: `client scope ${scope.name}`, mappers: scope.protocolMappers ?? [] })),
  ];
}

/** Every protocol mapper is one Keycloak ships, configured only with keys it reads. */
export function mapperProblems(rep: RealmRep): string[] {
  const problems: string[] = [];
  const clientIds = new Set((rep.clients ?? []).map((client) => client.clientId));
  for (const { where, mappers } of allMappers(rep)) {
    const names = new Set<string>();
    for (const mapper of mappers) {
      const at = `${where}, mapper ${JSON.stringify(mapper.name)}`;
      if (names.has(`${mapper.name}`)) problems.push(`${at}: the name is used twice`);
      names.add(`${mapper.name}`);
      if (mapper.protocol !== 'openid-connect') problems.push(`${at}: protocol ${JSON.stringify(mapper.protocol)} is not openid-connect`);
      const known = PROTOCOL_MAPPERS[`${mapper.protocolMapper}`];
      if (!known) {
        problems.push(`${at}: ${JSON.stringify(mapper.protocolMapper)} is not a protocol mapper listed here from Keycloak's sources`);
        continue;
      }
      const config = mapper.config ?? {};
      for (const [key, value] of Object.entries(config)) {
        if (!known.keys.includes(key)) problems.push(`${at}: ${mapper.protocolMapper} reads no config key ${JSON.stringify(key)}`);
        if (BOOLEAN_MAPPER_KEYS.has(key) && value !== 'true' && value !== 'false') problems.push(`${at}: ${key} must be "true" or "false"`);
      }
      if (config['jsonType.label'] !== undefined && !JSON_TYPES.includes(config['jsonType.label'])) {
        problems.push(`${at}: jsonType.label must be one of ${JSON_TYPES.join(', ')}`);
      }
      for (const alternatives of known.required) {
        if (!alternatives.some((key) => config[key])) problems.push(`${at}: needs ${alternatives.join(' or ')}`);
      }
      const audienceClient = config['included.client.audience'];
      if (audienceClient && !clientIds.has(audienceClient)) problems.push(`${at}: included.client.audience names unknown client ${audienceClient}`);
    }
  }
  return problems;
}

function groupPaths(groups: RealmRep['groups'], parent = ''): string[] {
  return (groups ?? []).flatMap((group) => {
    const path = `${parent}/${group.name}`;
    return [path, ...groupPaths(group.subGroups as RealmRep['groups'], path)];
  });
}

/** What the importer resolves by name exists: roles, composite roles, clients, groups, service-account links. */
export /**
 * Clients Keycloak creates in every realm before it imports the export, with their roles
 * (org.keycloak.models.AdminRoles): users of the export may hold these roles without the export
 * declaring the client. `realm-management` is what the Admin REST API checks.
 */
const KEYCLOAK_BUILT_IN_CLIENT_ROLES: Record<string, readonly string[]> = {
  'realm-management': [
    'realm-admin', 'create-client', 'impersonation', 'manage-authorization', 'manage-clients', 'manage-events',
    'manage-identity-providers', 'manage-realm', 'manage-users', 'query-clients', 'query-groups', 'query-realms', 'query-users',
    'view-authorization', 'view-clients', 'view-events', 'view-identity-providers', 'view-realm', 'view-users',
  ],
};

function referenceProblems(rep: RealmRep): string[] {
  const problems: string[] = [];
  if (typeof rep.realm !== 'string' || RESERVED_CHARS.test(rep.realm)) problems.push(`realm name ${JSON.stringify(rep.realm)} is empty or has a reserved character`);
  if (rep.id !== undefined && RESERVED_CHARS.test(`${rep.id}`)) problems.push(`realm id ${JSON.stringify(rep.id)} has a reserved character`);
  const locales = (rep.supportedLocales as string[] | undefined) ?? [];
  for (const locale of locales) if (RESERVED_LOCALE_CHARS.test(locale)) problems.push(`supported locale ${JSON.stringify(locale)} has a reserved character`);
  if (rep.internationalizationEnabled === true && rep.defaultLocale !== undefined && !locales.includes(`${rep.defaultLocale}`)) {
    problems.push(`default locale ${rep.defaultLocale} is not among the supported locales`);
  }
  for (const [header, value] of Object.entries((rep.browserSecurityHeaders as Record<string, string> | undefined) ?? {})) {
    if (`${header}${value}`.includes('\n')) problems.push(`browser security header ${header} has a newline`);
  }

  // Ids become primary keys: a repeated one makes the import fail. The default role is the one id
  // an export legitimately repeats (defaultRole and its entry in roles.realm).
  const seen = new Map<string, string>();
  const visit = (value: unknown, path: string): void => {
    if (Array.isArray(value)) value.forEach((item, index) => visit(item, `${path}[${index}]`));
    if (!isPlainObject(value)) return;
    if (typeof value.id === 'string' && path !== 'realm.defaultRole') {
      const earlier = seen.get(value.id);
      if (earlier) problems.push(`id ${value.id} is used by ${earlier} and ${path}`);
      seen.set(value.id, path);
    }
    for (const [key, item] of Object.entries(value)) if (key !== 'defaultRole') visit(item, `${path}.${key}`);
  };
  visit(rep, 'realm');

  const realmRoles = rep.roles?.realm ?? [];
  const realmRoleNames = new Set<string>();
  for (const role of realmRoles) {
    if (realmRoleNames.has(`${role.name}`)) problems.push(`realm role ${role.name} is defined twice`);
    realmRoleNames.add(`${role.name}`);
  }
  const clients = new Map((rep.clients ?? []).map((client) => [`${client.clientId}`, client]));
  const clientRoleNames = new Map<string, Set<string>>(Object.entries(KEYCLOAK_BUILT_IN_CLIENT_ROLES).map(([clientId, roles]) => [clientId, new Set(roles)]));
  for (const [clientId, roles] of Object.entries(rep.roles?.client ?? {})) {
    if (!clients.has(clientId)) problems.push(`client roles are defined for unknown client ${clientId} (the import fails)`);
    clientRoleNames.set(clientId, new Set(roles.map((role) => `${role.name}`)));
  }
  const checkRole = (role: RoleRep, container: string, clientRole: boolean) => {
    if (role.clientRole !== undefined && role.clientRole !== clientRole) problems.push(`role ${role.name}: clientRole should be ${clientRole}`);
    if (!clientRole && role.containerId !== undefined && role.containerId !== (rep.id ?? rep.realm)) {
      problems.push(`realm role ${role.name}: containerId ${role.containerId} is not the realm's id`);
    }
    const included = [...(role.composites?.realm ?? []), ...Object.values(role.composites?.client ?? {}).flat()];
    if ((role.composite ?? false) !== included.length > 0) problems.push(`role ${role.name}: composite is ${role.composite} but it includes ${included.length} roles`);
    for (const name of role.composites?.realm ?? []) if (!realmRoleNames.has(name)) problems.push(`${container} role ${role.name} includes unknown realm role ${name}`);
    for (const [clientId, names] of Object.entries(role.composites?.client ?? {})) {
      for (const name of names) if (!clientRoleNames.get(clientId)?.has(name)) problems.push(`${container} role ${role.name} includes unknown role ${name} of client ${clientId}`);
    }
  };
  for (const role of realmRoles) checkRole(role, 'realm', false);
  for (const [clientId, roles] of Object.entries(rep.roles?.client ?? {})) for (const role of roles) checkRole(role, `client ${clientId}`, true);

  const defaultRole = rep.defaultRole;
  const defaultRoleEntry = realmRoles.find((role) => role.name === defaultRole?.name);
  if (!defaultRole?.name) problems.push('realm has no defaultRole');
  else if (!defaultRoleEntry) problems.push(`default role ${defaultRole.name} is not among the realm roles`);
  else if (defaultRole.id !== undefined && defaultRoleEntry.id !== undefined && defaultRole.id !== defaultRoleEntry.id) {
    problems.push(`default role ${defaultRole.name} has id ${defaultRole.id} but its realm role entry ${defaultRoleEntry.id}`);
  }

  const paths = new Set(groupPaths(rep.groups));
  const usernames = new Set<string>();
  const serviceAccounts = new Map<string, string>();
  for (const user of rep.users ?? []) {
    const who = `user ${user.username}`;
    const username = `${user.username}`.toLowerCase();
    if (usernames.has(username)) problems.push(`${who} appears twice (usernames are case-insensitive)`);
    usernames.add(username);
    // The importer sets enabled to (rep.enabled != null && rep.enabled) and grants no default roles by itself.
    if (user.enabled !== true) problems.push(`${who} is not enabled: true, so Keycloak imports it disabled`);
    if (defaultRole?.name && !(user.realmRoles ?? []).includes(defaultRole.name)) problems.push(`${who} lacks the default role ${defaultRole.name}`);
    for (const role of user.realmRoles ?? []) {
      if (!realmRoleNames.has(role)) problems.push(`${who} has realm role ${role}, which is not defined (Keycloak would create it empty)`);
    }
    for (const [clientId, roles] of Object.entries(user.clientRoles ?? {})) {
      if (!clients.has(clientId) && !(clientId in KEYCLOAK_BUILT_IN_CLIENT_ROLES)) problems.push(`${who} has roles of unknown client ${clientId} (the import fails)`);
      for (const role of roles) if (!clientRoleNames.get(clientId)?.has(role)) problems.push(`${who} has role ${role} of client ${clientId}, which is not defined`);
    }
    for (const path of user.groups ?? []) if (!paths.has(path)) problems.push(`${who} is in unknown group ${path} (the import fails)`);

    if (user.serviceAccountClientId !== undefined) {
      const clientId = user.serviceAccountClientId;
      const client = clients.get(clientId);
      if (!client) problems.push(`${who} is the service account of unknown client ${clientId} (the import fails)`);
      else if (client.serviceAccountsEnabled !== true) problems.push(`${who} is the service account of ${clientId}, which has serviceAccountsEnabled off`);
      if (username !== `${SERVICE_ACCOUNT_PREFIX}${clientId}`.toLowerCase()) problems.push(`${who} should be named ${SERVICE_ACCOUNT_PREFIX}${clientId}`);
      if (serviceAccounts.has(clientId)) problems.push(`client ${clientId} has two service-account users`);
      serviceAccounts.set(clientId, `${user.username}`);
      if ((user.credentials ?? []).length > 0) problems.push(`${who} is a service account and should have no credentials`);
    } else {
      const passwords = (user.credentials ?? []).filter((credential) => credential.type === 'password');
      if (passwords.length !== 1 || !passwords[0]?.value) problems.push(`${who} needs exactly one password credential with a value`);
      if (passwords.some((credential) => credential.temporary === true)) problems.push(`${who} has a temporary password`);
    }
  }
  for (const client of clients.values()) {
    if (client.serviceAccountsEnabled === true && !serviceAccounts.has(`${client.clientId}`)) {
      problems.push(`client ${client.clientId} has service accounts enabled but no service-account user`);
    }
  }
  return problems;
}

function isWildcard(uri: string): boolean {
  return uri.trim() === '*' || uri.trim().startsWith('*');
}

/** Client settings Simpul relies on: the console is public with PKCE S256, the rest confidential with a secret. */
export function clientProblems(rep: RealmRep): string[] {
  const problems: string[] = [];
  const clientIds = new Set<string>();
  for (const client of rep.clients ?? []) {
    const who = `client ${client.clientId}`;
    if (clientIds.has(`${client.clientId}`)) problems.push(`${who} is defined twice`);
    clientIds.add(`${client.clientId}`);
    if (client.protocol !== 'openid-connect') problems.push(`${who}: protocol should be openid-connect`);
    for (const uri of client.redirectUris ?? []) if (isWildcard(uri)) problems.push(`${who}: redirect URI ${JSON.stringify(uri)} is a wildcard`);
    for (const origin of client.webOrigins ?? []) if (isWildcard(origin)) problems.push(`${who}: web origin ${JSON.stringify(origin)} is a wildcard`);
    for (const uri of (client.attributes?.['post.logout.redirect.uris'] ?? '').split('##')) {
      if (isWildcard(uri)) problems.push(`${who}: post-logout redirect URI ${JSON.stringify(uri)} is a wildcard`);
    }
    if (client.implicitFlowEnabled === true) problems.push(`${who}: implicit flow is enabled`);
    if (client.directAccessGrantsEnabled === true) problems.push(`${who}: direct access grants (password grant) are enabled`);
    if (client.publicClient === true) {
      if (client.secret !== undefined) problems.push(`${who}: a public client carries a secret`);
      if (client.serviceAccountsEnabled === true) problems.push(`${who}: a public client cannot have a service account`);
      if (client.standardFlowEnabled !== false && client.attributes?.['pkce.code.challenge.method'] !== 'S256') {
        problems.push(`${who}: public client with the code flow must require PKCE (pkce.code.challenge.method = S256)`);
      }
    } else if (client.bearerOnly !== true) {
      if (typeof client.secret !== 'string' || client.secret.length === 0) problems.push(`${who}: confidential client has no secret`);
      if (client.clientAuthenticatorType !== 'client-secret') problems.push(`${who}: clientAuthenticatorType should be client-secret`);
    }
  }
  const console = (rep.clients ?? []).find((client) => client.clientId === CONSOLE_CLIENT);
  if (!console) problems.push(`client ${CONSOLE_CLIENT} is missing`);
  else {
    if (console.publicClient !== true) problems.push(`client ${CONSOLE_CLIENT} must be public`);
    if (console.standardFlowEnabled !== true) problems.push(`client ${CONSOLE_CLIENT} must use the authorization code flow`);
    if (console.attributes?.['pkce.code.challenge.method'] !== 'S256') problems.push(`client ${CONSOLE_CLIENT} must require PKCE S256`);
    if ((console.redirectUris ?? []).length === 0) problems.push(`client ${CONSOLE_CLIENT} has no redirect URI`);
  }
  return problems;
}

interface ProfileAttribute {
  name: string;
  required?: { roles?: string[] };
  validations?: Record<string, Record<string, unknown>>;
}

/** Users fit the declarative user profile: declared attributes, valid values, no profile update pending at first login. */
export function userProfileProblems(rep: RealmRep): string[] {
  const problems: string[] = [];
  const providers = rep.components?.[USER_PROFILE_PROVIDER] ?? [];
  const raw = providers.find((component) => component.providerId === 'declarative-user-profile')?.config?.['kc.user.profile.config'];
  if (!raw || raw.length !== 1) return ['the declarative-user-profile component with one kc.user.profile.config value is missing'];
  let profile: { attributes?: ProfileAttribute[]; unmanagedAttributePolicy?: string };
  try {
    profile = JSON.parse(`${raw[0]}`) as typeof profile;
  } catch (error) {
    return [`kc.user.profile.config is not JSON: ${(error as Error).message}`];
  }
  const attributes = new Map((profile.attributes ?? []).map((attribute) => [attribute.name, attribute]));
  const rootAttributes: Record<string, keyof UserRep> = { username: 'username', email: 'email', firstName: 'firstName', lastName: 'lastName' };
  for (const user of rep.users ?? []) {
    const who = `user ${user.username}`;
    const values: Record<string, string[]> = { ...(user.attributes ?? {}) };
    for (const [attribute, property] of Object.entries(rootAttributes)) if (typeof user[property] === 'string') values[attribute] = [user[property] as string];
    for (const [name, list] of Object.entries(values)) {
      const declared = attributes.get(name);
      if (!declared) {
        if (!profile.unmanagedAttributePolicy) problems.push(`${who}: attribute ${name} is not declared in the user profile`);
        continue;
      }
      const pattern = declared.validations?.pattern?.pattern;
      if (typeof pattern === 'string') {
        for (const value of list) if (!new RegExp(pattern).test(value)) problems.push(`${who}: ${name} ${JSON.stringify(value)} does not match ${pattern}`);
      }
    }
    if (user.serviceAccountClientId !== undefined) continue;
    for (const attribute of attributes.values()) {
      const required = attribute.required;
      const forUsers = required !== undefined && (required.roles === undefined || required.roles.includes('user'));
      if (forUsers && !(values[attribute.name] ?? []).some((value) => value.length > 0)) {
        problems.push(`${who}: required attribute ${attribute.name} is empty (Keycloak would ask for it at login)`);
      }
    }
  }
  for (const { where, mappers } of allMappers(rep)) {
    for (const mapper of mappers) {
      const attribute = mapper.config?.['user.attribute'];
      if (mapper.protocolMapper === 'oidc-usermodel-attribute-mapper' && attribute && !attributes.has(attribute) && !profile.unmanagedAttributePolicy) {
        problems.push(`${where}, mapper ${mapper.name}: user attribute ${attribute} is not declared in the user profile, so it is never set`);
      }
    }
  }
  return problems;
}

// ---------------------------------------------------------------------------------------------

const realmJson = (): RealmRep => JSON.parse(readFileSync(DEFAULT_REALM_PATH, 'utf8')) as RealmRep;

describe('infra/keycloak/simpul-realm.json against Keycloak 26 representations and importer', () => {
  const rep = realmJson();

  it('uses only properties the representation classes declare, each with the JSON type Keycloak expects', () => {
    expect(propertyProblems(rep)).toEqual([]);
  });

  it('uses only protocol mappers Keycloak ships, with config keys those mappers read', () => {
    expect(mapperProblems(rep)).toEqual([]);
    const used = allMappers(rep).flatMap(({ mappers }) => mappers.map((mapper) => mapper.protocolMapper));
    expect(new Set(used)).toEqual(new Set(['oidc-audience-mapper', 'oidc-usermodel-attribute-mapper']));
  });

  it('references only roles, clients and groups that exist; service accounts belong to service-account clients', () => {
    expect(referenceProblems(rep)).toEqual([]);
  });

  it('has mpp-console public with PKCE S256 and every other client confidential with a secret; no wildcard URIs', () => {
    expect(clientProblems(rep)).toEqual([]);
  });

  it('gives users only declared, valid profile attributes and everything a first login requires', () => {
    expect(userProfileProblems(rep)).toEqual([]);
  });
});

describe('the realm-export checks find what Keycloak would choke on', () => {
  const mutate = (change: (rep: RealmRep) => void): RealmRep => {
    const rep = realmJson();
    change(rep);
    return rep;
  };
  const client = (rep: RealmRep, clientId: string): ClientRep => {
    const found = rep.clients?.find((candidate) => candidate.clientId === clientId);
    if (!found) throw new Error(`no client ${clientId}`);
    return found;
  };
  const user = (rep: RealmRep, username: string): UserRep => {
    const found = rep.users?.find((candidate) => candidate.username === username);
    if (!found) throw new Error(`no user ${username}`);
    return found;
  };

  it('an unknown key anywhere: realm, client, user, credential, role, mapper', () => {
    const rep = mutate((r) => {
      r.accessTokenLifeSpan = 300;
      client(r, 'agency-tax').pkceMethod = 'S256';
      user(r, 'warga').nik = '1408030507760001';
      user(r, 'petugas').credentials![0]!.hashed = false;
      r.roles!.realm![0]!.scope = 'x';
      client(r, CONSOLE_CLIENT).protocolMappers![0]!.enabled = true;
    });
    const problems = propertyProblems(rep);
    expect(problems).toEqual(
      expect.arrayContaining([
        'realm.accessTokenLifeSpan: RealmRepresentation has no property "accessTokenLifeSpan" (Keycloak\'s import fails on it)',
        'realm.clients[3].pkceMethod: ClientRepresentation has no property "pkceMethod" (Keycloak\'s import fails on it)',
        'realm.users[4].nik: UserRepresentation has no property "nik" (Keycloak\'s import fails on it)',
        'realm.users[0].credentials[0].hashed: CredentialRepresentation has no property "hashed" (Keycloak\'s import fails on it)',
        'realm.roles.realm[0].scope: RoleRepresentation has no property "scope" (Keycloak\'s import fails on it)',
        'realm.clients[0].protocolMappers[0].enabled: ProtocolMapperRepresentation has no property "enabled" (Keycloak\'s import fails on it)',
      ]),
    );
    expect(problems).toHaveLength(6);
  });

  it('a wrong JSON type: a string lifespan, a numeric attribute value, an out-of-range integer, a single role instead of a list', () => {
    const rep = mutate((r) => {
      r.accessTokenLifespan = '300';
      client(r, CONSOLE_CLIENT).attributes!['use.refresh.tokens'] = true as unknown as string;
      r.ssoSessionMaxLifespan = 2 ** 31;
      user(r, 'admin').realmRoles = 'admin' as unknown as string[];
    });
    expect(propertyProblems(rep)).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^realm\.accessTokenLifespan: expected a 32-bit integer/),
        expect.stringMatching(/^realm\.clients\[0\]\.attributes: expected an object of string values/),
        expect.stringMatching(/^realm\.ssoSessionMaxLifespan: expected a 32-bit integer/),
        expect.stringMatching(/^realm\.users\[3\]\.realmRoles: expected an array of strings/),
      ]),
    );
  });

  it('a protocol mapper Keycloak does not have, or a config key it does not read', () => {
    const rep = mutate((r) => {
      const [audience, nik] = client(r, CONSOLE_CLIENT).protocolMappers!;
      audience!.protocolMapper = 'oidc-audience-mappper';
      nik!.config!['userinfo.claim'] = 'true';
      nik!.config!['jsonType.label'] = 'string';
      client(r, 'bank-bpd').protocolMappers![0]!.config = { 'access.token.claim': 'yes' };
    });
    expect(mapperProblems(rep)).toEqual([
      'client mpp-console, mapper "simpul-gateway audience": "oidc-audience-mappper" is not a protocol mapper listed here from Keycloak\'s sources',
      'client mpp-console, mapper "nik": oidc-usermodel-attribute-mapper reads no config key "userinfo.claim"',
      'client mpp-console, mapper "nik": jsonType.label must be one of String, long, int, boolean, JSON',
      'client bank-bpd, mapper "simpul-gateway audience": access.token.claim must be "true" or "false"',
      'client bank-bpd, mapper "simpul-gateway audience": needs included.client.audience or included.custom.audience',
    ]);
  });

  it('a user role, group or service-account client that does not exist, and a role Keycloak would silently create', () => {
    const rep = mutate((r) => {
      user(r, 'supervisor').realmRoles!.push('supervisr');
      user(r, 'auditor').groups = ['/auditors'];
      user(r, 'admin').clientRoles = { 'realm-managment': ['manage-users'] };
      user(r, 'service-account-bank-bpd').serviceAccountClientId = 'bank-bpd2';
      user(r, 'service-account-bumn-pln').serviceAccountClientId = CONSOLE_CLIENT;
      user(r, 'petugas').enabled = undefined;
      r.roles!.realm![0]!.composites!.realm!.push('offline-access');
    });
    expect(referenceProblems(rep)).toEqual(
      expect.arrayContaining([
        'user supervisor has realm role supervisr, which is not defined (Keycloak would create it empty)',
        'user auditor is in unknown group /auditors (the import fails)',
        'user admin has roles of unknown client realm-managment (the import fails)',
        'user service-account-bank-bpd is the service account of unknown client bank-bpd2 (the import fails)',
        'user service-account-bumn-pln is the service account of mpp-console, which has serviceAccountsEnabled off',
        'client bank-bpd has service accounts enabled but no service-account user',
        'user petugas is not enabled: true, so Keycloak imports it disabled',
        'realm role default-roles-simpul includes unknown realm role offline-access',
      ]),
    );
  });

  it('a default role missing from the roles, and an id used twice', () => {
    const rep = mutate((r) => {
      r.roles!.realm = r.roles!.realm!.filter((role) => role.name !== 'default-roles-simpul');
      client(r, 'agency-tax').id = client(r, 'agency-police').id;
    });
    const problems = referenceProblems(rep);
    expect(problems).toContain('default role default-roles-simpul is not among the realm roles');
    expect(problems.some((problem) => /^id [0-9a-f-]+ is used by realm\.clients\[\d+\] and realm\.clients\[\d+\]$/.test(problem))).toBe(true);
  });

  it('a console without PKCE, a confidential client without a secret, wildcard redirect URIs and origins', () => {
    const rep = mutate((r) => {
      delete client(r, CONSOLE_CLIENT).attributes!['pkce.code.challenge.method'];
      client(r, CONSOLE_CLIENT).redirectUris = ['*'];
      client(r, CONSOLE_CLIENT).webOrigins = ['*'];
      delete client(r, 'agency-police').secret;
      client(r, 'agency-licensing').clientAuthenticatorType = 'client-jwt';
      client(r, 'integrator-demo').directAccessGrantsEnabled = true;
    });
    expect(clientProblems(rep)).toEqual([
      'client mpp-console: redirect URI "*" is a wildcard',
      'client mpp-console: web origin "*" is a wildcard',
      'client mpp-console: public client with the code flow must require PKCE (pkce.code.challenge.method = S256)',
      'client agency-licensing: clientAuthenticatorType should be client-secret',
      'client agency-police: confidential client has no secret',
      'client integrator-demo: direct access grants (password grant) are enabled',
      'client mpp-console must require PKCE S256',
    ]);
  });

  it('an undeclared or invalid user attribute, and a demo user who would be stopped at login to fill in the profile', () => {
    const rep = mutate((r) => {
      user(r, 'warga').attributes = { nik: ['14080305077600'], kk: ['1408030507760002'] };
      delete user(r, 'petugas').email;
    });
    expect(userProfileProblems(rep)).toEqual([
      'user petugas: required attribute email is empty (Keycloak would ask for it at login)',
      'user warga: nik "14080305077600" does not match ^[0-9]{16}$',
      'user warga: attribute kk is not declared in the user profile',
    ]);
  });
});
