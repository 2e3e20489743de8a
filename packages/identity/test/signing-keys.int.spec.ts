import { statSync } from 'node:fs';
import { join } from 'node:path';
import { decodeProtectedHeader } from 'jose';
import { DEMO_CREDENTIALS, fetchClientCredentialsToken, KEY_FILE_NAME, rotateSigningKeys } from '../src';
import { startTestIdentity, temporaryDir, verifyWithJwks } from './identity-fixture';

const police = DEMO_CREDENTIALS.clients.find((client) => client.clientId === 'agency-police');
if (!police) throw new Error('agency-police missing from the demo credentials');

async function policeToken(issuer: string): Promise<string> {
  return (await fetchClientCredentialsToken({ issuer, clientId: police!.clientId, clientSecret: police!.clientSecret })).access_token;
}

async function publishedKids(issuer: string): Promise<string[]> {
  const { keys } = (await (await fetch(`${issuer}/protocol/openid-connect/certs`)).json()) as { keys: { kid: string }[] };
  return keys.map((key) => key.kid);
}

describe('signing keys in DATA_DIR', () => {
  const dir = temporaryDir();
  afterAll(() => dir.remove());

  it('are created once (owner-only file) and reused after a restart: same kid, old tokens still verify', async () => {
    const first = await startTestIdentity({ dataDir: dir.path });
    const kid = first.signingKeys().activeKid;
    const token = await policeToken(first.issuer);
    await first.stop();
    // Let the HTTP client see the closed keep-alive sockets before a new server takes the port.
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(statSync(join(dir.path, KEY_FILE_NAME)).mode & 0o777).toBe(0o600);

    const second = await startTestIdentity({ dataDir: dir.path, port: first.port });
    try {
      expect(second.signingKeys().activeKid).toBe(kid);
      expect(await publishedKids(second.issuer)).toEqual([kid]);
      await expect(verifyWithJwks(second.issuer, token)).resolves.toBeDefined();
    } finally {
      await second.stop();
    }
  });

  it('rotateKeys() signs with a new key and keeps the previous one in the JWKS', async () => {
    const idp = await startTestIdentity({ dataDir: dir.path });
    try {
      const before = idp.signingKeys().activeKid;
      const oldToken = await policeToken(idp.issuer);

      const rotated = await idp.rotateKeys();
      expect(rotated.activeKid).not.toBe(before);
      expect(rotated.publishedKids).toEqual([rotated.activeKid, before]);
      expect(await publishedKids(idp.issuer)).toEqual([rotated.activeKid, before]);

      const newToken = await policeToken(idp.issuer);
      expect(decodeProtectedHeader(newToken).kid).toBe(rotated.activeKid);
      await expect(verifyWithJwks(idp.issuer, newToken)).resolves.toBeDefined();
      await expect(verifyWithJwks(idp.issuer, oldToken)).resolves.toBeDefined();
    } finally {
      await idp.stop();
    }
  });

  it('picks up a rotation made while it was stopped (the --rotate-keys command)', async () => {
    const own = temporaryDir();
    try {
      const idp = await startTestIdentity({ dataDir: own.path });
      const before = idp.signingKeys().activeKid;
      await idp.stop();

      const file = rotateSigningKeys(own.path);
      const restarted = await startTestIdentity({ dataDir: own.path });
      try {
        expect(restarted.signingKeys().activeKid).toBe(file.signingKeys[0]?.kid);
        expect(await publishedKids(restarted.issuer)).toEqual([file.signingKeys[0]?.kid, before]);
      } finally {
        await restarted.stop();
      }
    } finally {
      own.remove();
    }
  });

  it('publishes at most three keys', async () => {
    const own = temporaryDir();
    try {
      const idp = await startTestIdentity({ dataDir: own.path });
      try {
        for (let i = 0; i < 3; i++) await idp.rotateKeys();
        expect(await publishedKids(idp.issuer)).toHaveLength(3);
      } finally {
        await idp.stop();
      }
    } finally {
      own.remove();
    }
  });
});
