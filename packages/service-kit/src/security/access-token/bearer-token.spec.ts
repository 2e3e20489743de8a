import { bearerTokenOf } from './bearer-token';

const JWT = 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl';

describe('bearerTokenOf', () => {
  it('reads the token of a Bearer header, whatever the case of the scheme', () => {
    expect(bearerTokenOf(`Bearer ${JWT}`)).toEqual({ ok: true, token: JWT });
    expect(bearerTokenOf(`bearer  ${JWT}`)).toEqual({ ok: true, token: JWT });
  });

  it.each([undefined, '', '   ', 'Basic dXNlcjpwYXNz', JWT])('treats %j as no token', (header) => {
    expect(bearerTokenOf(header)).toMatchObject({ ok: false, reason: 'MISSING_TOKEN' });
  });

  it.each(['Bearer', 'Bearer ', `Bearer ${JWT} extra`, 'Bearer a"b', `Bearer ${JWT},${JWT}`])('refuses %j as malformed', (header) => {
    expect(bearerTokenOf(header)).toMatchObject({ ok: false, reason: 'MALFORMED' });
  });
});
