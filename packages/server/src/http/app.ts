/**
 * The HTTP adapter: routes map requests to core endpoint functions and their results to
 * responses. No protocol decision is made here.
 */
import { Hono, type Context } from 'hono';
import { secureHeaders } from 'hono/secure-headers';
import type { Logger } from 'pino';
import type { CoreDeps } from '../core/deps.js';
import { errorBody, errors } from '../core/error-catalogue.js';
import { OAuthError } from '../core/errors.js';
import { authorizeEndpoint } from '../core/endpoints/authorize.js';
import { discoveryDocument } from '../core/endpoints/discovery.js';
import { introspectionEndpoint } from '../core/endpoints/introspect.js';
import { resourcesEndpoint } from '../core/endpoints/resources.js';
import { revocationEndpoint } from '../core/endpoints/revoke.js';
import { tokenEndpoint } from '../core/endpoints/token.js';
import type { TokenRequestOptions } from '../core/grants/grant.js';
import { userinfoEndpoint } from '../core/endpoints/userinfo.js';
import { validateEndpoint } from '../core/endpoints/validate.js';
import { showAccountChoice, showInteraction, submitConsent, submitLogin, submitSelectAccount } from '../core/authorize/interaction.js';
import { resolveSession } from '../core/sessions.js';
import { bearerToken } from '../core/tokens/resolve.js';
import { script, stylesheet } from '../ui/assets.js';
import { clientAddress } from './client-address.js';
import { mountConsole } from './console/index.js';
import { csrfValid, readSessionCookie, type CookiePolicy } from './cookies.js';
import { queryParams, readForm, readFormAll, readFormUnchecked, urlHasControlCharacters } from './form.js';
import { mountProfiles } from './profile.js';
import { API_HEADERS, CORS_OPEN, NO_STORE, NOSNIFF, apiJson, apiResponse, oauthErrorJson, renderPage, send } from './respond.js';

export interface AppOptions {
  deps: CoreDeps;
  logger: Logger;
  /** Extra routes (the web console) mounted on the same app. */
  extend?: (app: Hono, context: { policy: CookiePolicy }) => void;
}

const JSON_API_PATHS = new Set([
  '/oauth/token', '/oauth/v1/token', '/oauth/introspect', '/oauth/v1/token/introspect', '/oauth/revoke', '/oauth/v1/token/revoke',
  '/oauth/token/resources', '/oauth/v1/token/resources', '/oauth/userinfo', '/oauth/v1/userinfo', '/oauth/validate',
  '/oauth/jwks', '/oauth/v1/certs', '/.well-known/jwks.json', '/.well-known/openid-configuration',
  '/.well-known/oauth-authorization-server', '/healthz', '/readyz',
]);

const AUTHORIZE_PATHS = new Set(['/oauth/authorize', '/oauth/v1/authorize']);

/** The endpoints browser-based clients call cross-origin (their responses carry CORS_OPEN). */
export const CORS_PATHS: readonly string[] = [
  '/.well-known/openid-configuration', '/.well-known/oauth-authorization-server', '/oauth/jwks', '/.well-known/jwks.json', '/oauth/v1/certs',
  '/oauth/token', '/oauth/v1/token', '/oauth/revoke', '/oauth/v1/token/revoke', '/oauth/userinfo', '/oauth/v1/userinfo', '/oauth/validate',
];
const CORS_PATH_SET: ReadonlySet<string> = new Set(CORS_PATHS);
const CORS_ERROR_HEADERS = Object.entries({ ...CORS_OPEN, 'Access-Control-Expose-Headers': 'WWW-Authenticate' });

export function createApp({ deps, logger, extend }: AppOptions): Hono {
  const app = new Hono();
  const policy: CookiePolicy = { secure: deps.config.issuer.startsWith('https:'), signupEnabled: deps.config.signupEnabled };

  // Pages get the full set of browser security headers; JSON APIs only need nosniff, and skipping
  // the rest keeps the token path lean (it is answered to machines, never rendered).
  const pageHeaders = secureHeaders({
      contentSecurityPolicy: {
        defaultSrc: ["'none'"],
        styleSrc: ["'self'"],
        scriptSrc: ["'self'"],
        imgSrc: ["'self'", 'https:', 'data:'],
        connectSrc: ["'self'"],
        frameAncestors: ["'none'"],
        baseUri: ["'none'"],
      },
      xFrameOptions: 'DENY',
      referrerPolicy: 'no-referrer',
      crossOriginResourcePolicy: false,
      crossOriginOpenerPolicy: 'same-origin',
    });
  // JSON API responses carry nosniff in their own header sets (API_HEADERS, NOSNIFF): setting it
  // here would make Hono build a Headers object per request only to drop it.
  // A control character in the request target (path parameters, query strings) is bad input,
  // answered before any route reads it (RFC 6749 §5.2 invalid_request; Postgres text cannot hold
  // NUL). The authorization endpoint's query goes to its pipeline instead, which chooses between
  // the error page and a redirect to the client (RFC 6749 §4.1.2.1).
  const badTarget = () => new OAuthError(errors.invalidRequest.urlControlCharacters);
  app.use('*', async (c, next) => {
    const api = JSON_API_PATHS.has(c.req.path);
    if (!AUTHORIZE_PATHS.has(c.req.path) && urlHasControlCharacters(c.req.url)) {
      if (api) return oauthErrorJson(c, badTarget());
      return pageHeaders(c, async () => void (c.res = await renderPage(c, policy, { name: 'error', error: badTarget() }, 400)));
    }
    return api ? next() : pageHeaders(c, next);
  });

  app.onError((error, c) => {
    if (error instanceof OAuthError) return oauthErrorJson(c, error);
    logger.error({ err: error, path: c.req.path }, 'unhandled error');
    return oauthErrorJson(c, new OAuthError(errors.serverError.unexpected));
  });
  app.notFound((c) => apiJson(errorBody(errors.notFound.endpoint), 404, API_HEADERS.plain));

  // Token-style endpoints answer JSON errors with no-store.
  const jsonEndpoint =
    (handler: (c: Context) => Promise<Response>) =>
    async (c: Context): Promise<Response> => {
      try {
        return await handler(c);
      } catch (error) {
        if (!(error instanceof OAuthError)) throw error;
        const response = oauthErrorJson(c, error);
        // A browser client must be able to read the error (and its WWW-Authenticate) cross-origin too.
        if (CORS_PATH_SET.has(c.req.path)) for (const [name, value] of CORS_ERROR_HEADERS) response.headers.set(name, value);
        return response;
      }
    };

  const session = (c: Context) => resolveSession(deps, readSessionCookie(c));

  // Discovery and keys: cacheable and CORS-open (RFC 8414 §3, OpenID Connect Discovery §4).
  let discoveryCache: { json: string; at: number } | undefined;
  const discovery = async () => {
    const now = deps.now();
    if (!discoveryCache || now - discoveryCache.at >= 10) discoveryCache = { json: JSON.stringify(await discoveryDocument(deps)), at: now };
    return apiResponse(discoveryCache.json, 200, API_HEADERS.published);
  };
  app.get('/.well-known/openid-configuration', discovery);
  app.get('/.well-known/oauth-authorization-server', discovery);
  const jwks = async (c: Context) => {
    await deps.keys.maybeReload(deps.now());
    return apiJson(deps.keys.jwks(), 200, API_HEADERS.jwks);
  };
  for (const path of ['/oauth/jwks', '/.well-known/jwks.json', '/oauth/v1/certs']) app.get(path, jwks);

  // Authorization endpoint, GET and POST (OpenID Connect Core §3.1.2.1).
  const authorize = async (c: Context) => {
    const params = c.req.method === 'POST' ? await readFormUnchecked(c) : queryParams(c);
    return send(c, policy, await authorizeEndpoint(deps, params, await session(c)));
  };
  for (const path of ['/oauth/authorize', '/oauth/v1/authorize']) {
    app.get(path, authorize);
    app.post(path, async (c) => {
      try {
        return await authorize(c);
      } catch (error) {
        if (error instanceof OAuthError) return renderPage(c, policy, { name: 'error', error }, 400);
        throw error;
      }
    });
  }

  // The /oauth/v1 layout keeps the leniency of the API it mirrors: redirect_uri may be left out.
  const token = (options: TokenRequestOptions) =>
    jsonEndpoint(async (c) => {
      const result = await tokenEndpoint(deps, c.req.header('authorization'), await readForm(c), options);
      if (result.type !== 'json') return send(c, policy, result);
      return apiJson(result.body, 200, API_HEADERS.noStoreCors);
    });
  app.post('/oauth/token', token({}));
  app.post('/oauth/v1/token', token({ redirectUriOptional: true }));

  const userinfo = jsonEndpoint(async (c) => {
    let value = bearerToken(c.req.header('authorization'));
    if (value === undefined && c.req.method === 'POST' && /form-urlencoded/i.test(c.req.header('content-type') ?? '')) {
      value = (await readForm(c)).get('access_token');
    }
    const result = await userinfoEndpoint(deps, value);
    return apiJson((result as { body: object }).body, 200, API_HEADERS.noStoreCors);
  });
  for (const path of ['/oauth/userinfo', '/oauth/v1/userinfo']) {
    app.get(path, userinfo);
    app.post(path, userinfo);
  }

  const clientAuthenticated = (endpoint: typeof introspectionEndpoint) =>
    jsonEndpoint(async (c) => {
      const result = await endpoint(deps, c.req.header('authorization'), await readForm(c));
      if (result.type === 'json') return apiJson(result.body, result.status, API_HEADERS.noStore);
      return send(c, policy, result);
    });
  for (const path of ['/oauth/introspect', '/oauth/v1/token/introspect']) app.post(path, clientAuthenticated(introspectionEndpoint));
  for (const path of ['/oauth/token/resources', '/oauth/v1/token/resources']) app.post(path, clientAuthenticated(resourcesEndpoint));
  for (const path of ['/oauth/revoke', '/oauth/v1/token/revoke']) {
    app.post(
      path,
      jsonEndpoint(async (c) => {
        await revocationEndpoint(deps, c.req.header('authorization'), await readForm(c));
        return c.body(null, 200, { ...NO_STORE, ...CORS_OPEN, ...NOSNIFF });
      }),
    );
  }

  app.get('/oauth/validate', async (c) => {
    const result = await validateEndpoint(deps, bearerToken(c.req.header('authorization')));
    return apiJson((result as { body: object }).body, 200, API_HEADERS.noStoreCors);
  });

  // CORS preflight for browser-based public clients, on the endpoints they call (discovery, keys,
  // token, revocation, userinfo, validate) and nowhere else: never on authorize, which is a page
  // navigation, nor on the client-authenticated introspection and token resources.
  const preflight = (c: Context) =>
    c.body(null, 204, {
      ...CORS_OPEN,
      'Access-Control-Allow-Methods': 'GET, POST',
      'Access-Control-Allow-Headers': 'Authorization, Content-Type',
      'Access-Control-Max-Age': '600',
    });
  for (const path of CORS_PATHS) app.options(path, preflight);

  // Interaction pages: the seam between the protocol and the person.
  app.get('/interaction/:id', async (c) => send(c, policy, await showInteraction(deps, c.req.param('id'), await session(c))));

  const formAction = (handler: (c: Context, form: Awaited<ReturnType<typeof readFormAll>>) => Promise<Response>) => async (c: Context) => {
    let form: Awaited<ReturnType<typeof readFormAll>>;
    try {
      form = await readFormAll(c);
    } catch (error) {
      if (error instanceof OAuthError) return renderPage(c, policy, { name: 'error', error }, 400);
      throw error;
    }
    if (!csrfValid(c, form.params.get('csrf_token'))) {
      const error = new OAuthError(errors.invalidRequest.formExpired);
      return renderPage(c, policy, { name: 'error', error }, error.status);
    }
    return handler(c, form);
  };

  app.post(
    '/interaction/:id/login',
    formAction(async (c, { params }) =>
      send(
        c,
        policy,
        await submitLogin(deps, c.req.param('id')!, {
          username: params.get('username'),
          password: params.get('password'),
          address: clientAddress(c, deps.config.trustedProxies),
          previousSession: readSessionCookie(c),
        }),
      ),
    ),
  );
  app.post(
    '/interaction/:id/consent',
    formAction(async (c, { params, all }) =>
      send(c, policy, await submitConsent(deps, c.req.param('id')!, { decision: params.get('decision'), workspaceIds: all('workspace') }, await session(c))),
    ),
  );
  app.post(
    '/interaction/:id/select-account',
    formAction(async (c, { params }) => send(c, policy, await submitSelectAccount(deps, c.req.param('id')!, params.get('decision'), await session(c)))),
  );
  app.get('/interaction/:id/select-account', async (c) => send(c, policy, await showAccountChoice(deps, c.req.param('id'), await session(c))));

  app.get('/assets/gatehouse.css', (c) => c.body(stylesheet, 200, { 'Content-Type': 'text/css; charset=utf-8', 'Cache-Control': 'public, max-age=3600' }));
  app.get('/assets/gatehouse.js', (c) => c.body(script, 200, { 'Content-Type': 'text/javascript; charset=utf-8', 'Cache-Control': 'public, max-age=3600' }));

  app.get('/healthz', () => apiJson({ status: 'ok' }, 200, API_HEADERS.plain));
  app.get('/readyz', async (c) => {
    try {
      await deps.stores.ping();
      return apiJson({ status: 'ok' }, 200, API_HEADERS.plain);
    } catch (error) {
      logger.warn({ err: error }, 'readiness check failed');
      return apiJson({ status: 'unavailable' }, 503, API_HEADERS.plain);
    }
  });

  // The web console (setup, sign-in, account, developer dashboard, admin, directory).
  mountConsole(app, { deps, policy });

  mountProfiles(app, deps);
  extend?.(app, { policy });
  return app;
}
