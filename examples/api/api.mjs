// A small protected API: every route names the scope it needs. Tokens are checked by the SDK's
// ResourceServer, which introspects Gatehouse's opaque access tokens with the API's own
// client credentials (RFC 7662) and answers 401/403 with RFC 6750 WWW-Authenticate challenges.
import { Hono } from 'hono';
import { ResourceServer, honoRequireScopes } from '@gatehouse/sdk';

/**
 * @param {object} options
 * @param {string} options.issuer        Gatehouse, e.g. http://localhost:3000
 * @param {string} options.clientId      the API's own client (used for introspection)
 * @param {string} options.clientSecret
 * @param {number} [options.cacheSeconds] how long a token check is cached (SDK default 30; 0 = see revocations at once)
 * @param {typeof fetch} [options.fetch]
 */
export function createApi({ issuer, clientId, clientSecret, cacheSeconds, fetch }) {
  const rs = new ResourceServer({ issuer, clientId, clientSecret, cacheSeconds, fetch });
  /** @type {Array<{ id: number, name: string, workspace: string, owner: string }>} */
  const projects = [];

  /** @type {Hono<{ Variables: { auth: import('@gatehouse/sdk').VerifiedAccessToken } }>} */
  const api = new Hono();

  // Who is calling, and which workspaces the user shared with the app on the consent screen.
  const caller = (auth) => ({ subject: auth.subject, username: auth.claims.username, workspaces: auth.workspaces, scopes: auth.scopes });

  api.get('/projects', honoRequireScopes(rs, 'project:read'), (c) => {
    const auth = c.get('auth');
    const slugs = auth.workspaces.map((w) => w.slug);
    return c.json({ ...caller(auth), projects: projects.filter((p) => slugs.includes(p.workspace)) });
  });

  api.post('/projects', honoRequireScopes(rs, 'project:write'), async (c) => {
    const auth = c.get('auth');
    const workspace = auth.workspaces[0];
    if (!workspace) return c.json({ error: 'no_workspace', error_description: 'The token reaches no workspace' }, 400);
    const body = await c.req.json().catch(() => ({}));
    const project = { id: projects.length + 1, name: String(body.name ?? 'Untitled'), workspace: workspace.slug, owner: auth.subject };
    projects.push(project);
    return c.json({ ...caller(auth), project }, 201);
  });

  // The SDK throws only when Gatehouse itself is unreachable or failing: that is not the caller's fault.
  api.onError((err, c) => {
    console.error(err);
    return c.json({ error: 'temporarily_unavailable', error_description: 'Cannot check the access token right now' }, 503);
  });
  return api;
}
