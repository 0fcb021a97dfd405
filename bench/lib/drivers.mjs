/** Protocol helpers for the flows autocannon cannot express: sign-in, code exchange, one whole flow. */
import { FIXTURE } from './fixture.mjs';
import { FORM, basic, form, pkcePair, request } from './http.mjs';

export function authorizeUrl(server, challenge, scope = FIXTURE.flowScope) {
  const query = new URLSearchParams({
    response_type: 'code',
    client_id: server.fixtures.web.clientId,
    redirect_uri: FIXTURE.redirectUri,
    scope,
    state: 'bench',
    code_challenge: challenge,
    code_challenge_method: 'S256',
  });
  return `${server.origin}${server.paths.authorize}?${query}`;
}

export const codeFrom = (location) => {
  const url = new URL(location);
  const code = url.searchParams.get('code');
  if (!code) throw new Error(`no code in ${location}`);
  return code;
};

/** Walks a fresh browser through sign-in and consent (Gatehouse forms; oidc-provider's programmatic interaction). */
export async function signIn(server, browser) {
  const { verifier, challenge } = pkcePair();
  let page = await browser.navigate(authorizeUrl(server, challenge));
  if (!page.location && page.body.includes('name="password"')) page = await browser.submit(page, '/login', { username: FIXTURE.username, password: FIXTURE.password });
  if (!page.location && page.body.includes('/consent')) page = await browser.submit(page, '/consent', { decision: 'allow' });
  if (!page.location) throw new Error(`sign-in did not end in a redirect (${page.status} ${page.url}): ${page.body.slice(0, 500)}`);
  return { code: codeFrom(page.location), verifier };
}

export async function exchangeCode(server, agent, code, verifier) {
  const { web } = server.fixtures;
  const res = await request(server.origin, {
    method: 'POST',
    path: server.paths.token,
    agent,
    headers: { 'content-type': FORM, authorization: basic(web.clientId, web.clientSecret) },
    body: form({ grant_type: 'authorization_code', code, code_verifier: verifier, redirect_uri: FIXTURE.redirectUri }),
  });
  if (res.status !== 200) throw new Error(`code exchange failed ${res.status}: ${res.body}`);
  return JSON.parse(res.body);
}

/** One full flow on a signed-in browser: authorize (existing session and consent) → token with PKCE → userinfo. */
export async function oneFlow(server, browser) {
  const { verifier, challenge } = pkcePair();
  const res = await browser.request(authorizeUrl(server, challenge));
  if (!res.location || !res.location.startsWith(FIXTURE.redirectUri)) throw new Error(`authorize did not redirect back (${res.status} ${res.location ?? res.body.slice(0, 200)})`);
  const tokens = await exchangeCode(server, browser.agent, codeFrom(res.location), verifier);
  const info = await request(server.origin, { path: server.paths.userinfo, agent: browser.agent, headers: { authorization: `Bearer ${tokens.access_token}` } });
  if (info.status !== 200) throw new Error(`userinfo ${info.status}: ${info.body}`);
  return tokens;
}
