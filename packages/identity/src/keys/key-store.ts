import { createHash, generateKeyPairSync, randomBytes, type JsonWebKey } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';

/**
 * The embedded IdP's secrets, kept in DATA_DIR so tokens stay verifiable across restarts: the RS256
 * signing keys (newest first: it signs, the older ones stay published in the JWKS so tokens they
 * signed still verify until they expire) and the keys its cookies are signed with.
 */
export const KEY_FILE_NAME = 'identity-keys.json';
/** Keys published at once: the signing key and the ones before it. Tokens live minutes, rotations are rarer. */
export const MAX_PUBLISHED_KEYS = 3;
export const SIGNING_ALG = 'RS256';

const signingKeySchema = z.looseObject({
  kty: z.literal('RSA'),
  kid: z.string().min(1),
  alg: z.literal(SIGNING_ALG),
  use: z.literal('sig'),
  n: z.string(),
  e: z.string(),
  d: z.string(),
  p: z.string(),
  q: z.string(),
  dp: z.string(),
  dq: z.string(),
  qi: z.string(),
  createdAt: z.string(),
});
const keyFileSchema = z.object({
  signingKeys: z.array(signingKeySchema).min(1),
  cookieKeys: z.array(z.string().min(32)).min(1),
});

export type SigningKey = z.infer<typeof signingKeySchema>;
export type KeyFile = z.infer<typeof keyFileSchema>;

export class KeyFileError extends Error {
  constructor(
    readonly path: string,
    message: string,
  ) {
    super(`Key file ${path}: ${message}`);
    this.name = 'KeyFileError';
  }
}

/** RFC 7638 thumbprint of the public key: the same key always gets the same kid. */
function thumbprint(jwk: JsonWebKey): string {
  const canonical = JSON.stringify({ e: jwk.e, kty: jwk.kty, n: jwk.n });
  return createHash('sha256').update(canonical).digest('base64url');
}

export function generateSigningKey(now = new Date()): SigningKey {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const jwk = privateKey.export({ format: 'jwk' });
  return signingKeySchema.parse({ ...jwk, kid: thumbprint(jwk), alg: SIGNING_ALG, use: 'sig', createdAt: now.toISOString() });
}

function keyFilePath(dataDir: string): string {
  return join(dataDir, KEY_FILE_NAME);
}

function writeKeyFile(dataDir: string, file: KeyFile): void {
  mkdirSync(dataDir, { recursive: true });
  const path = keyFilePath(dataDir);
  const temporary = `${path}.${process.pid}.tmp`;
  writeFileSync(temporary, `${JSON.stringify(file, null, 2)}\n`, { mode: 0o600 });
  chmodSync(temporary, 0o600);
  renameSync(temporary, path);
}

function readKeyFile(dataDir: string): KeyFile | undefined {
  const path = keyFilePath(dataDir);
  if (!existsSync(path)) return undefined;
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new KeyFileError(path, `not JSON (${(error as Error).message}); restore it from a backup or delete it to start with new keys`);
  }
  const parsed = keyFileSchema.safeParse(json);
  if (!parsed.success) {
    throw new KeyFileError(path, parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; '));
  }
  return parsed.data;
}

/** The keys in DATA_DIR, generated (and saved) on the first start. */
export function loadOrCreateKeys(dataDir: string): KeyFile {
  const existing = readKeyFile(dataDir);
  if (existing) return existing;
  const created: KeyFile = { signingKeys: [generateSigningKey()], cookieKeys: [randomBytes(32).toString('base64url')] };
  writeKeyFile(dataDir, created);
  return created;
}

/**
 * Adds a new signing key in front (it signs from now on) and keeps the previous ones published,
 * up to MAX_PUBLISHED_KEYS in all; saves and returns the new key file.
 */
export function rotateSigningKeys(dataDir: string): KeyFile {
  const current = loadOrCreateKeys(dataDir);
  const rotated: KeyFile = {
    ...current,
    signingKeys: [generateSigningKey(), ...current.signingKeys].slice(0, MAX_PUBLISHED_KEYS),
  };
  writeKeyFile(dataDir, rotated);
  return rotated;
}

/** The private JWKS oidc-provider signs with (it publishes only the public parts). */
export function providerJwks(file: KeyFile): { keys: Record<string, unknown>[] } {
  return { keys: file.signingKeys.map(({ createdAt: _createdAt, ...jwk }) => jwk) };
}

/** The public parts of the signing keys, as the JWKS endpoint publishes them. */
export function publicJwks(file: KeyFile): { keys: { kty: 'RSA'; kid: string; alg: string; use: 'sig'; n: string; e: string }[] } {
  return { keys: file.signingKeys.map(({ kty, kid, alg, use, n, e }) => ({ kty, kid, alg, use, n, e })) };
}
