/**
 * Revocation (RFC 7009) of a refresh token that rotation already replaced: the family goes, so a
 * successor held by someone else stops too (RFC 9700 §4.14.2). The answer is 200 either way (§2.2).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDatabases } from '../testing/databases.js';
import { clientAuth, postForm, signInForTokens } from '../testing/flows.js';
import { startTestServer, type TestServer } from '../testing/harness.js';

type App = { clientId: string; clientSecret: string | undefined };

describe.each(testDatabases())('revoking a rotated refresh token on $name', (factory) => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer(factory);
  });
  afterAll(async () => server?.close());

  const refresh = (app: App, refreshToken: string) => postForm(server, '/oauth/token', { grant_type: 'refresh_token', refresh_token: refreshToken, ...clientAuth(app) });
  const introspect = (app: App, token: string) => postForm(server, '/oauth/introspect', { token, ...clientAuth(app) });
  const revoke = (token: string, auth: Record<string, string> = {}) => postForm(server, '/oauth/revoke', { token, token_type_hint: 'refresh_token', ...auth });

  /** Signs in and rotates twice: the first refresh token, and the two responses that followed it. */
  async function rotatedTwice(app: App, format?: 'jwt') {
    const first = await signInForTokens(server, app);
    const second = await refresh(app, first.refresh_token!);
    expect(second.status).toBe(200);
    const third = await refresh(app, second.body.refresh_token);
    expect(third.status).toBe(200);
    if (format === 'jwt') expect(third.body.access_token.split('.')).toHaveLength(3);
    return { first, second: second.body, third: third.body };
  }

  for (const [name, options] of [
    ['opaque', {}],
    ['JWT', { access_token_format: 'jwt' as const }],
  ] as const) {
    it(`revokes the family from its first refresh token: the live successor and its ${name} access tokens stop`, async () => {
      const app = await server.app(options);
      const { first, second, third } = await rotatedTwice(app, 'access_token_format' in options ? 'jwt' : undefined);
      expect((await introspect(app, third.access_token)).body.active).toBe(true);

      const answer = await revoke(first.refresh_token!, clientAuth(app));
      expect(answer.status).toBe(200);

      const successor = await refresh(app, third.refresh_token);
      expect(successor.status).toBe(400);
      expect(successor.body.error).toBe('invalid_grant');
      for (const token of [first.access_token, second.access_token, third.access_token, third.refresh_token]) {
        expect((await introspect(app, token)).body).toEqual({ active: false });
      }
    });
  }

  it('revokes the family from a middle token after the grace window, and without client authentication', async () => {
    const app = await server.app();
    const { second, third } = await rotatedTwice(app);
    server.clock.advance(120);
    try {
      expect((await introspect(app, third.access_token)).body.active).toBe(true);
      expect((await revoke(second.refresh_token)).status).toBe(200);
      expect((await refresh(app, third.refresh_token)).body.error).toBe('invalid_grant');
      expect((await introspect(app, third.access_token)).body).toEqual({ active: false });
    } finally {
      server.clock.advance(-120);
    }
  });

  it("leaves another client's family alone: a foreign client revoking a rotated token changes nothing", async () => {
    const app = await server.app();
    const other = await server.app();
    const { first, third } = await rotatedTwice(app);
    expect((await revoke(first.refresh_token!, clientAuth(other))).status).toBe(200);
    expect((await introspect(app, third.access_token)).body.active).toBe(true);
    expect((await refresh(app, third.refresh_token)).status).toBe(200);
  });
});
