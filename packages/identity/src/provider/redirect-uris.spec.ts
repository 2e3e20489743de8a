import { redirectUriMatches } from './redirect-uris';

describe('redirectUriMatches (Keycloak rules)', () => {
  const registered = ['http://127.0.0.1:4000/*', 'https://console.example.go.id/callback'];

  it.each([
    'http://127.0.0.1:4000/console/callback',
    'http://127.0.0.1:4000/',
    'http://127.0.0.1:4000/console/callback?from=login',
    'https://console.example.go.id/callback',
  ])('accepts %s', (candidate) => {
    expect(redirectUriMatches(registered, candidate)).toBe(true);
  });

  it.each([
    'http://127.0.0.1:4001/console/callback',
    'https://127.0.0.1:4000/console',
    'http://127.0.0.1:4000@evil.example/',
    'http://user:pw@127.0.0.1:4000/console',
    'https://console.example.go.id/callback/other',
    'https://console.example.go.id.evil.example/callback',
    'not a url',
  ])('refuses %s', (candidate) => {
    expect(redirectUriMatches(registered, candidate)).toBe(false);
  });

  it('matches a path prefix only on its own origin', () => {
    expect(redirectUriMatches(['http://localhost:4000/console/*'], 'http://localhost:4000/console/cb')).toBe(true);
    expect(redirectUriMatches(['http://localhost:4000/console/*'], 'http://localhost:4000/admin')).toBe(false);
  });
});
