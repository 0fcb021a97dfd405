// "Sign in with Gatehouse" for a server-rendered web app, with @gatehouse/sdk and Hono.
//
//   /          home: a sign-in button, or the signed-in user and the workspaces they shared
//   /login     starts the authorization code flow (PKCE, state and nonce kept server-side)
//   /callback  finishes it: checks state and iss, exchanges the code, validates the ID token
//   /call-api  calls the sample API with the user's access token (refreshed when needed)
//   /logout    revokes the tokens and forgets the session
import { randomBytes } from 'node:crypto';
import { Hono } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import { html } from 'hono/html';
import { GatehouseApp, GatehouseError, OAuthError } from '@gatehouse/sdk';

const SCOPES = ['openid', 'profile', 'email', 'offline_access', 'project:read'];
const COOKIE = 'sid';

/**
 * @typedef {object} Session
 * @property {{ state: string, nonce?: string, codeVerifier: string }} [pending] between /login and /callback
 * @property {import('@gatehouse/sdk').TokenSet} [tokens] after sign-in
 * @property {import('@gatehouse/sdk').Workspace[]} [workspaces]
 */

/**
 * @param {object} options
 * @param {string} options.issuer        Gatehouse, e.g. http://localhost:3000
 * @param {string} options.clientId
 * @param {string} options.clientSecret
 * @param {string} options.redirectUri   e.g. http://localhost:4000/callback (registered with the client)
 * @param {string} options.apiUrl        the sample API, e.g. http://localhost:4001
 * @param {typeof fetch} [options.fetch] used for every request to Gatehouse and the API
 */
export function createWebApp({ issuer, clientId, clientSecret, redirectUri, apiUrl, fetch }) {
  const gatehouse = new GatehouseApp({ issuer, clientId, clientSecret, redirectUri, fetch });

  // Server-side sessions, keyed by an unguessable id in an HttpOnly cookie. In memory for the
  // sample; use a real store in production. Keep ONE TokenSet object per session in each
  // process: its refreshes are single-flight, so concurrent requests share one refresh. (With an
  // external store, save tokens.toJSON() from GatehouseApp's onTokens and app.restore() it.)
  /** @type {Map<string, Session>} */
  const sessions = new Map();
  const cookieOptions = { httpOnly: true, sameSite: 'Lax', path: '/', secure: redirectUri.startsWith('https:') };

  /** @param {import('hono').Context} c */
  const startSession = (c, /** @type {Session} */ session) => {
    const sid = randomBytes(32).toString('base64url');
    sessions.set(sid, session);
    setCookie(c, COOKIE, sid, cookieOptions);
  };
  /** @param {import('hono').Context} c */
  const endSession = (c) => {
    sessions.delete(getCookie(c, COOKIE) ?? '');
    deleteCookie(c, COOKIE, cookieOptions);
  };
  /** @param {import('hono').Context} c @returns {Session | undefined} */
  const sessionOf = (c) => sessions.get(getCookie(c, COOKIE) ?? '');

  const app = new Hono();

  app.get('/', (c) => {
    const session = sessionOf(c);
    if (!session?.tokens) return c.html(page('Welcome', html`<p>This app lists your projects.</p><p><a class="button" href="/login">Sign in with Gatehouse</a></p>`));
    return c.html(profilePage(session));
  });

  app.get('/login', async (c) => {
    const { url, state, nonce, codeVerifier } = await gatehouse.authorizationUrl({ scopes: SCOPES });
    endSession(c);
    startSession(c, { pending: { state, nonce, codeVerifier } });
    return c.redirect(url);
  });

  app.get('/callback', async (c) => {
    const pending = sessionOf(c)?.pending;
    endSession(c); // one use only, and a fresh session id after sign-in (no session fixation)
    if (!pending) return c.html(page('Sign-in failed', html`<p>Your sign-in expired.</p>${tryAgain}`), 400);
    try {
      const tokens = await gatehouse.handleCallback(c.req.url, pending);
      startSession(c, { tokens, workspaces: await tokens.workspaces() });
      return c.redirect('/');
    } catch (err) {
      // OAuthError: e.g. access_denied when the user chose Deny. Others: state, iss or ID token checks failed.
      const message = err instanceof OAuthError ? (err.error === 'access_denied' ? 'You did not allow access.' : `${err.error}: ${err.description ?? ''}`) : 'The sign-in response was not valid.';
      if (!(err instanceof OAuthError)) console.error(err);
      return c.html(page('Sign-in failed', html`<p>${message}</p>${tryAgain}`), err instanceof OAuthError ? 403 : 400);
    }
  });

  app.post('/call-api', async (c) => {
    const session = sessionOf(c);
    if (!session?.tokens) return c.redirect('/');
    const op = (await c.req.parseBody()).op;
    const request = op === 'create'
      ? { method: 'POST', path: '/projects', init: { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name: 'New project' }) } }
      : { method: 'GET', path: '/projects', init: {} };
    let res;
    try {
      // Adds the bearer token; refreshes first when it is about to expire, and refreshes and
      // retries once when the API says invalid_token.
      res = await session.tokens.fetch(new URL(request.path, apiUrl), request.init);
    } catch (err) {
      // The refresh token was revoked or expired (or we signed out elsewhere): sign in again.
      if ((err instanceof OAuthError && err.error === 'invalid_grant') || (err instanceof GatehouseError && err.code === 'token_revoked')) {
        endSession(c);
        return c.redirect('/');
      }
      throw err;
    }
    const result = { label: `${request.method} ${request.path}`, status: res.status, challenge: res.headers.get('www-authenticate'), body: await res.text() };
    return c.html(profilePage(session, result));
  });

  app.post('/logout', async (c) => {
    const session = sessionOf(c);
    endSession(c);
    // RFC 7009: revoking the refresh token also ends the access tokens issued from it.
    await session?.tokens?.revoke().catch((err) => console.error('revocation failed', err));
    return c.redirect('/');
  });

  return app;
}

const tryAgain = html`<p><a class="button" href="/login">Try again</a></p>`;

/** @param {Session} session @param {{ label: string, status: number, challenge: string | null, body: string }} [result] */
function profilePage(session, result) {
  const user = /** @type {import('@gatehouse/sdk').GatehouseUser} */ (session.tokens?.user);
  const workspaces = session.workspaces ?? [];
  return page(
    'Your profile',
    html`
      <section class="user">
        ${user.picture ? html`<img src="${user.picture}" alt="" width="64" height="64">` : ''}
        <div><strong id="name">${user.name ?? user.username}</strong><br><span id="username">@${user.username}</span></div>
      </section>
      <h2>Workspaces you shared with this app</h2>
      ${workspaces.length ? html`<ul id="workspaces">${workspaces.map((w) => html`<li><code>${w.id}</code></li>`)}</ul>` : html`<p>None.</p>`}
      <h2>Call the projects API</h2>
      <form method="post" action="/call-api">
        <button name="op" value="list">List projects</button>
        <button name="op" value="create">Create a project</button> <small>(needs project:write, which this app does not ask for)</small>
      </form>
      ${result
        ? html`<div id="api-result" data-status="${result.status}">
            <p>${result.label} → <strong>HTTP ${result.status}</strong></p>
            ${result.challenge ? html`<p>WWW-Authenticate: <code id="challenge">${result.challenge}</code></p>` : ''}
            <pre>${pretty(result.body)}</pre>
          </div>`
        : ''}
      <form method="post" action="/logout"><button>Sign out</button></form>`,
  );
}

function pretty(body) {
  try {
    return JSON.stringify(JSON.parse(body), null, 2);
  } catch {
    return body;
  }
}

function page(title, body) {
  return html`<!doctype html>
    <html lang="en">
      <head>
        <meta charset="utf-8">
        <title>${title} · Projects</title>
        <style>
          body { font: 16px/1.5 system-ui, sans-serif; max-width: 40rem; margin: 2rem auto; padding: 0 1rem; }
          .button, button { display: inline-block; padding: .4rem .9rem; border: 1px solid #333; border-radius: .3rem; background: #fff; color: #111; text-decoration: none; cursor: pointer; }
          .user { display: flex; gap: 1rem; align-items: center; }
          .user img { border-radius: 50%; }
          pre { background: #f4f4f4; padding: .75rem; white-space: pre-wrap; word-break: break-word; }
        </style>
      </head>
      <body><h1>${title}</h1>${body}</body>
    </html>`;
}
