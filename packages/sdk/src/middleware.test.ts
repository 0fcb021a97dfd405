import { beforeEach, describe, expect, it, vi } from 'vitest';
import { fastifyRequireScopes, honoRequireScopes, requireScopes, ResourceServer, type NodeLikeRequest, type VerifiedAccessToken } from './index.js';
import { createMockServer, ISSUER, json, type MockServer } from './test-support/mock-server.js';

let server: MockServer;
let rs: ResourceServer;

const REALM = `Bearer realm="${ISSUER}"`;

beforeEach(async () => {
  server = await createMockServer();
  server.on('POST /oauth/introspect', (call) => {
    const token = call.form!.get('token');
    if (token === 'good') {
      return json({ active: true, iss: ISSUER, sub: 'user_1', client_id: 'app_123', scope: 'read', exp: Math.floor(Date.now() / 1000) + 60 });
    }
    if (token === 'boom') return new Response('upstream down', { status: 503 });
    return json({ active: false });
  });
  rs = new ResourceServer({ issuer: ISSUER, clientId: 'api_1', clientSecret: 's', fetch: server.fetch });
});

/** Runs the node:http / Express middleware against a fake request and response. */
async function runNode(authorization: string | undefined, scopes: string[] = ['read']) {
  const req: NodeLikeRequest = { headers: authorization === undefined ? {} : { authorization } };
  const headers: Record<string, string> = {};
  const res = { statusCode: 200, body: undefined as string | undefined, ended: false };
  let nextArg: unknown = 'not called';
  await new Promise<void>((resolve) => {
    requireScopes(rs, ...scopes)(
      req,
      {
        get statusCode() {
          return res.statusCode;
        },
        set statusCode(v) {
          res.statusCode = v;
        },
        setHeader: (k: string, v: string) => {
          headers[k.toLowerCase()] = v;
        },
        end: (body?: string) => {
          res.body = body;
          res.ended = true;
          resolve();
        },
      },
      (err?: unknown) => {
        nextArg = err;
        resolve();
      },
    );
  });
  return { req, res, headers, nextArg, body: res.body ? JSON.parse(res.body) : undefined };
}

describe('requireScopes (node:http / Express), RFC 6750 §3', () => {
  it('no token → 401 with a bare realm challenge, no error attribute (§3.1)', async () => {
    const r = await runNode(undefined);
    expect(r.res.statusCode).toBe(401);
    expect(r.headers['www-authenticate']).toBe(REALM);
    expect(r.body).toBeUndefined();
  });

  it('another scheme counts as no bearer token', async () => {
    const r = await runNode('Basic dXNlcjpwYXNz');
    expect(r.res.statusCode).toBe(401);
    expect(r.headers['www-authenticate']).toBe(REALM);
  });

  it('invalid token → 401 invalid_token with description', async () => {
    const r = await runNode('Bearer nope');
    expect(r.res.statusCode).toBe(401);
    expect(r.headers['www-authenticate']).toBe(`${REALM}, error="invalid_token", error_description="The access token is not active"`);
    expect(r.body).toEqual({ error: 'invalid_token', error_description: 'The access token is not active' });
    expect(r.nextArg).toBe('not called');
  });

  it('missing scope → 403 insufficient_scope with scope attribute and JSON body', async () => {
    const r = await runNode('Bearer good', ['read', 'write']);
    expect(r.res.statusCode).toBe(403);
    expect(r.headers['www-authenticate']).toBe(`${REALM}, error="insufficient_scope", scope="read write"`);
    expect(r.headers['content-type']).toBe('application/json');
    expect(r.body).toEqual({ error: 'insufficient_scope', error_description: 'The access token lacks the required scope: write', scope: 'read write' });
  });

  it('malformed Bearer header → 400 invalid_request', async () => {
    const r = await runNode('Bearer two tokens');
    expect(r.res.statusCode).toBe(400);
    expect(r.headers['www-authenticate']).toBe(`${REALM}, error="invalid_request", error_description="Malformed Bearer Authorization header"`);
  });

  it('valid token with scopes → next() and req.auth', async () => {
    const r = await runNode('bearer good');
    expect(r.nextArg).toBeUndefined();
    expect(r.res.ended).toBe(false);
    expect(r.req.auth).toMatchObject({ subject: 'user_1', clientId: 'app_123', scopes: ['read'] });
  });

  it('introspection failure → next(err), not a 401', async () => {
    const r = await runNode('Bearer boom');
    expect(r.nextArg).toMatchObject({ code: 'unexpected_response', status: 503 });
  });
});

describe('honoRequireScopes', () => {
  function ctx(authorization?: string) {
    const vars = new Map<string, unknown>();
    return {
      vars,
      req: { header: (name: string) => (name.toLowerCase() === 'authorization' ? authorization : undefined) },
      set: (k: 'auth', v: VerifiedAccessToken) => void vars.set(k, v),
    };
  }

  it('returns the 401/403 responses and sets auth on success', async () => {
    const mw = honoRequireScopes(rs, 'read');
    const next = vi.fn(async () => {});

    const none = (await mw(ctx(), next)) as Response;
    expect(none.status).toBe(401);
    expect(none.headers.get('www-authenticate')).toBe(REALM);

    const bad = (await mw(ctx('Bearer nope'), next)) as Response;
    expect(bad.status).toBe(401);
    expect(bad.headers.get('www-authenticate')).toBe(`${REALM}, error="invalid_token", error_description="The access token is not active"`);
    expect(await bad.json()).toEqual({ error: 'invalid_token', error_description: 'The access token is not active' });

    const forbidden = (await honoRequireScopes(rs, 'admin')(ctx('Bearer good'), next)) as Response;
    expect(forbidden.status).toBe(403);
    expect(forbidden.headers.get('www-authenticate')).toBe(`${REALM}, error="insufficient_scope", scope="admin"`);
    expect(await forbidden.json()).toMatchObject({ error: 'insufficient_scope', scope: 'admin' });
    expect(next).not.toHaveBeenCalled();

    const c = ctx('Bearer good');
    expect(await mw(c, next)).toBeUndefined();
    expect(next).toHaveBeenCalledOnce();
    expect(c.vars.get('auth')).toMatchObject({ subject: 'user_1' });
  });
});

describe('fastifyRequireScopes', () => {
  function reply() {
    const r = { status: 0, headers: {} as Record<string, string>, payload: undefined as unknown };
    return {
      r,
      code: (s: number) => void (r.status = s),
      header: (k: string, v: string) => void (r.headers[k] = v),
      send: (p?: unknown) => void (r.payload = p),
    };
  }

  it('replies 401/403 per RFC 6750 and sets request.auth on success', async () => {
    const hook = fastifyRequireScopes(rs, 'read', 'write');
    const rep1 = reply();
    await hook({ headers: {} }, rep1);
    expect(rep1.r.status).toBe(401);
    expect(rep1.r.headers['www-authenticate']).toBe(REALM);

    const rep2 = reply();
    await hook({ headers: { authorization: 'Bearer good' } }, rep2);
    expect(rep2.r.status).toBe(403);
    expect(rep2.r.headers['www-authenticate']).toBe(`${REALM}, error="insufficient_scope", scope="read write"`);
    expect(JSON.parse(rep2.r.payload as string)).toMatchObject({ error: 'insufficient_scope', scope: 'read write' });

    const rep3 = reply();
    const req: { headers: Record<string, string>; auth?: VerifiedAccessToken } = { headers: { authorization: 'Bearer good' } };
    await fastifyRequireScopes(rs, 'read')(req, rep3);
    expect(rep3.r.status).toBe(0);
    expect(req.auth?.subject).toBe('user_1');
  });
});
