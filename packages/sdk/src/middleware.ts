/**
 * Bearer-token middleware for node:http / Express, Hono and Fastify (RFC 6750). No framework is
 * imported: the request/response types below are the minimal structural subset used.
 */
import { InvalidTokenError } from './errors.js';
import type { ResourceServer, VerifiedAccessToken } from './resource-server.js';

/** Outcome of {@link authorizeRequest}: the verified token, or the exact response to send. */
export type BearerCheckResult =
  | { ok: true; auth: VerifiedAccessToken }
  | {
      ok: false;
      status: 400 | 401 | 403;
      headers: Record<string, string>;
      /** JSON body, or `null` for an empty body (no credentials sent). */
      body: { error: string; error_description: string; scope?: string } | null;
    };

// RFC 6750 §2.1: b64token = 1*( ALPHA / DIGIT / "-" / "." / "_" / "~" / "+" / "/" ) *"="
const BEARER = /^Bearer +([A-Za-z0-9\-._~+/]+=*) *$/i;

/** RFC 6750 §3: error_description characters are limited to %x20-21 / %x23-5B / %x5D-7E. */
function quoteSafe(text: string): string {
  return text.replace(/[^\x20-\x21\x23-\x5B\x5D-\x7E]/g, ' ');
}

function challenge(realm: string, params: Record<string, string | undefined>): string {
  const parts = [`realm="${quoteSafe(realm)}"`];
  for (const [k, v] of Object.entries(params)) if (v !== undefined) parts.push(`${k}="${quoteSafe(v)}"`);
  return `Bearer ${parts.join(', ')}`;
}

function failure(status: 400 | 401 | 403, header: string, body: { error: string; error_description: string; scope?: string } | null): BearerCheckResult {
  const headers: Record<string, string> = { 'www-authenticate': header };
  if (body) headers['content-type'] = 'application/json';
  return { ok: false, status, headers, body };
}

/**
 * Framework-agnostic check of an `Authorization` header (RFC 6750 §2.1) against required scopes
 * (all must be granted). Responses follow RFC 6750 §3 and §3.1:
 * - no bearer credentials → 401, `WWW-Authenticate: Bearer realm="<issuer>"` (no error attribute);
 * - malformed header → 400 `invalid_request`;
 * - invalid token → 401 `error="invalid_token", error_description="…"`;
 * - missing scope → 403 `error="insufficient_scope", scope="a b"` with a JSON body.
 * Errors that are not the token's fault (network, server errors) are thrown.
 */
export async function authorizeRequest(
  rs: ResourceServer,
  authorization: string | string[] | null | undefined,
  scopes: string[],
): Promise<BearerCheckResult> {
  const realm = rs.issuer;
  if (Array.isArray(authorization)) {
    if (authorization.length > 1) {
      const description = 'More than one Authorization header';
      return failure(400, challenge(realm, { error: 'invalid_request', error_description: description }), { error: 'invalid_request', error_description: description });
    }
    authorization = authorization[0];
  }
  if (!authorization || !/^Bearer(\s|$)/i.test(authorization)) {
    return failure(401, challenge(realm, {}), null);
  }
  const match = BEARER.exec(authorization);
  if (!match) {
    const description = 'Malformed Bearer Authorization header';
    return failure(400, challenge(realm, { error: 'invalid_request', error_description: description }), { error: 'invalid_request', error_description: description });
  }
  let auth: VerifiedAccessToken;
  try {
    auth = await rs.verifyAccessToken(match[1]!);
  } catch (err) {
    if (!(err instanceof InvalidTokenError)) throw err;
    return failure(401, challenge(realm, { error: 'invalid_token', error_description: err.description }), {
      error: 'invalid_token',
      error_description: err.description,
    });
  }
  const missing = scopes.filter((s) => !auth.scopes.includes(s));
  if (missing.length > 0) {
    const scope = scopes.join(' ');
    return failure(403, challenge(realm, { error: 'insufficient_scope', scope }), {
      error: 'insufficient_scope',
      error_description: `The access token lacks the required scope: ${missing.join(' ')}`,
      scope,
    });
  }
  return { ok: true, auth };
}

/** The part of a node:http `IncomingMessage` / Express `Request` used. */
export interface NodeLikeRequest {
  headers: Record<string, string | string[] | undefined>;
  /** Set to the verified token on success. */
  auth?: VerifiedAccessToken;
}

/** The part of a node:http `ServerResponse` / Express `Response` used. */
export interface NodeLikeResponse {
  statusCode: number;
  setHeader(name: string, value: string): unknown;
  end(chunk?: string): unknown;
}

/**
 * node:http / Express / Connect middleware: `app.get('/api', requireScopes(rs, 'read'), handler)`.
 * On success sets `req.auth` and calls `next()`; otherwise answers 400/401/403 per RFC 6750 §3.
 * Unexpected errors go to `next(err)`.
 */
export function requireScopes(
  rs: ResourceServer,
  ...scopes: string[]
): (req: NodeLikeRequest, res: NodeLikeResponse, next: (err?: unknown) => void) => void {
  return (req, res, next) => {
    authorizeRequest(rs, req.headers.authorization, scopes).then((result) => {
      if (result.ok) {
        req.auth = result.auth;
        next();
        return;
      }
      res.statusCode = result.status;
      for (const [k, v] of Object.entries(result.headers)) res.setHeader(k, v);
      res.end(result.body ? JSON.stringify(result.body) : undefined);
    }, next);
  };
}

/** The part of a Hono `Context` used. */
export interface HonoLikeContext {
  req: { header(name: string): string | undefined };
  set(key: 'auth', value: VerifiedAccessToken): void;
}

/**
 * Hono middleware: `app.use('/api/*', honoRequireScopes(rs, 'read'))`; read the token with
 * `c.get('auth')` (declare `Variables: { auth: VerifiedAccessToken }` on your app).
 */
export function honoRequireScopes(
  rs: ResourceServer,
  ...scopes: string[]
): (c: HonoLikeContext, next: () => Promise<void>) => Promise<Response | void> {
  return async (c, next) => {
    const result = await authorizeRequest(rs, c.req.header('authorization'), scopes);
    if (!result.ok) {
      return new Response(result.body ? JSON.stringify(result.body) : null, { status: result.status, headers: result.headers });
    }
    c.set('auth', result.auth);
    await next();
  };
}

/** The part of a Fastify `FastifyRequest` used. */
export interface FastifyLikeRequest {
  headers: Record<string, string | string[] | undefined>;
  auth?: VerifiedAccessToken;
}

/** The part of a Fastify `FastifyReply` used. */
export interface FastifyLikeReply {
  code(statusCode: number): unknown;
  header(key: string, value: string): unknown;
  send(payload?: unknown): unknown;
}

/**
 * Fastify `preHandler` hook: `{ preHandler: fastifyRequireScopes(rs, 'read') }`. On success sets
 * `request.auth` (declare it with `fastify.decorateRequest('auth', null)`); otherwise replies per RFC 6750 §3.
 */
export function fastifyRequireScopes(
  rs: ResourceServer,
  ...scopes: string[]
): (request: FastifyLikeRequest, reply: FastifyLikeReply) => Promise<unknown> {
  return async (request, reply) => {
    const result = await authorizeRequest(rs, request.headers.authorization, scopes);
    if (result.ok) {
      request.auth = result.auth;
      return undefined;
    }
    reply.code(result.status);
    for (const [k, v] of Object.entries(result.headers)) reply.header(k, v);
    reply.send(result.body ? JSON.stringify(result.body) : '');
    return reply;
  };
}
