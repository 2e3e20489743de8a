import type { ClientCredentialsTokenSource } from '../client-credentials';
import { serviceActorSource } from './service-actor';

const jwt = (claims: Record<string, unknown>) => `e30.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.c2ln`;
const tokens = (token: string): ClientCredentialsTokenSource => ({ token: async () => token, invalidate: () => undefined }) as unknown as ClientCredentialsTokenSource;

describe('serviceActorSource', () => {
  it('names the service account of the token the service sends', async () => {
    const token = jwt({ typ: 'Bearer', sub: 'sa-1', azp: 'agency-tax', preferred_username: 'service-account-agency-tax', realm_access: { roles: ['agency:tax', 'participant:tax'] } });
    await expect(serviceActorSource('tax', tokens(token))()).resolves.toEqual({ actor: 'sa-1', actorType: 'client', client: 'agency-tax', roles: ['agency:tax', 'participant:tax'] });
  });

  it('without a client, names the service itself', async () => {
    await expect(serviceActorSource('tax', undefined)()).resolves.toEqual({ actor: 'service:tax', actorType: 'client', client: 'simpul-tax', roles: [] });
  });

  it('refuses a token that is not an access token', async () => {
    await expect(serviceActorSource('tax', tokens(jwt({ typ: 'ID', sub: 'sa-1', azp: 'agency-tax' })))()).rejects.toThrow(/unusable/);
    await expect(serviceActorSource('tax', tokens('opaque-token'))()).rejects.toThrow(/not a JWT/);
  });
});
