/** Turns core results into HTTP responses: the one place JSON errors, redirects and pages are written. */
import type { Context } from 'hono';
import { OAuthError } from '../core/errors.js';
import type { EndpointResult, PageModel } from '../core/result.js';
import { ConsentPage, ErrorPage, LoginPage, SelectAccountPage } from '../ui/index.js';
import { renderHtml } from '../ui/render.js';
import { applyCookies, csrfToken, type CookiePolicy } from './cookies.js';

export const NO_STORE = { 'cache-control': 'no-store', pragma: 'no-cache' } as const;
export const CORS_OPEN = { 'access-control-allow-origin': '*' } as const;

/** Every JSON API response carries it (the header middleware skips API paths). */
export const NOSNIFF = { 'x-content-type-options': 'nosniff' } as const;

/** The complete header sets of JSON API responses, made once instead of spread per response. */
const JSON_API = { 'content-type': 'application/json', ...NOSNIFF } as const;
const PUBLISHED = { ...JSON_API, ...CORS_OPEN, 'cache-control': 'public, max-age=300' } as const;
export const API_HEADERS = {
  plain: JSON_API,
  noStore: { ...JSON_API, ...NO_STORE },
  noStoreCors: { ...JSON_API, ...NO_STORE, ...CORS_OPEN },
  published: PUBLISHED,
  jwks: { ...PUBLISHED, 'content-type': 'application/jwk-set+json' },
} as const;
type ApiHeaders = (typeof API_HEADERS)[keyof typeof API_HEADERS];

/**
 * A JSON API response, made directly rather than with `c.json()`: Hono turns two or more headers
 * into a `Headers` object that @hono/node-server then copies back into a plain one, while a plain
 * object goes straight to `writeHead`. Headers set earlier with `c.header()` are not merged in,
 * so use it only in handlers that set none; every set carries nosniff.
 */
export const apiJson = (body: unknown, status: number, headers: ApiHeaders): Response => apiResponse(JSON.stringify(body), status, headers);

/** apiJson for a body serialized once and kept. */
export const apiResponse = (json: string, status: number, headers: ApiHeaders): Response => new Response(json, { status, headers });

export function oauthErrorJson(c: Context, error: OAuthError): Response {
  const headers: Record<string, string> = { ...NO_STORE, ...NOSNIFF, ...error.headers };
  return c.json(error.toJSON(), error.status as 400, headers);
}

export async function renderPage(c: Context, policy: CookiePolicy, page: PageModel, status: number): Promise<Response> {
  const csrf = csrfToken(c, policy);
  let body;
  switch (page.name) {
    case 'error':
      body = <ErrorPage status={status} code={page.error.code} description={page.error.description} homeUrl="/" />;
      break;
    case 'login':
      body = (
        <LoginPage
          action={`/interaction/${page.interactionId}/login`}
          csrfToken={csrf}
          clientName={page.clientName}
          {...(page.error ? { error: page.error } : {})}
          {...(page.username ? { username: page.username } : {})}
          {...(policy.signupEnabled ? { signupUrl: `/signup?interaction=${encodeURIComponent(page.interactionId)}` } : {})}
        />
      );
      break;
    case 'consent':
      body = (
        <ConsentPage
          action={`/interaction/${page.interactionId}/consent`}
          csrfToken={csrf}
          client={page.client}
          user={page.user}
          scopes={page.scopes}
          workspaceChoice={page.workspaceChoice}
          redirectUri={page.redirectUri}
          staysConnected={page.staysConnected}
          switchAccountUrl={`/interaction/${page.interactionId}/select-account`}
          {...(page.error ? { error: page.error } : {})}
        />
      );
      break;
    case 'select-account':
      body = <SelectAccountPage action={`/interaction/${page.interactionId}/select-account`} csrfToken={csrf} user={page.user} clientName={page.clientName} />;
      break;
  }
  return c.html(renderHtml(body), status as 200, { 'Cache-Control': 'no-store' });
}

export async function send(c: Context, policy: CookiePolicy, result: EndpointResult): Promise<Response> {
  switch (result.type) {
    case 'json':
      applyCookies(c, policy, result.cookies);
      return c.json(result.body as object, result.status as 200, { ...NOSNIFF, ...result.headers });
    case 'redirect':
      applyCookies(c, policy, result.cookies);
      c.header('Cache-Control', 'no-store');
      return c.redirect(result.location, c.req.method === 'POST' ? 303 : 302);
    case 'page':
      applyCookies(c, policy, result.cookies);
      return renderPage(c, policy, result.page, result.status);
    case 'empty':
      return c.body(null, result.status as 200, result.headers);
  }
}
