/** Test-only: an in-memory Gatehouse authorization server behind a mocked `fetch`. */
import { exportJWK, generateKeyPair, SignJWT, type JWK, type JWTPayload } from 'jose';

export const ISSUER = 'https://auth.example.com';
export const CLIENT_ID = 'app_123';
export const CLIENT_SECRET = 'secret_456';
export const REDIRECT_URI = 'https://app.example.com/callback';

export interface RecordedCall {
  method: string;
  url: URL;
  headers: Headers;
  form: URLSearchParams | undefined;
}

type Handler = (call: RecordedCall) => Response | Promise<Response>;

export function json(body: unknown, status = 200, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json', ...headers } });
}

let sharedKeys: ReturnType<typeof generateKeyPair> | undefined;

export async function createMockServer(options: { metadata?: Record<string, unknown> } = {}) {
  // RSA key generation is slow; one key pair serves every mock server in a test file.
  sharedKeys ??= generateKeyPair('RS256', { extractable: true });
  const keys = await sharedKeys;
  const publicJwk: JWK = { ...(await exportJWK(keys.publicKey)), kid: 'k1', alg: 'RS256', use: 'sig' };
  let jwks: { keys: JWK[] } = { keys: [publicJwk] };
  const calls: RecordedCall[] = [];
  const handlers = new Map<string, Handler>();

  const metadata: Record<string, unknown> = {
    issuer: ISSUER,
    authorization_endpoint: `${ISSUER}/oauth/authorize`,
    token_endpoint: `${ISSUER}/oauth/token`,
    userinfo_endpoint: `${ISSUER}/oauth/userinfo`,
    jwks_uri: `${ISSUER}/oauth/jwks`,
    introspection_endpoint: `${ISSUER}/oauth/introspect`,
    revocation_endpoint: `${ISSUER}/oauth/revoke`,
    resources_endpoint: `${ISSUER}/oauth/token/resources`,
    authorization_response_iss_parameter_supported: true,
    code_challenge_methods_supported: ['S256'],
    token_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post', 'none'],
    id_token_signing_alg_values_supported: ['RS256', 'ES256'],
    ...options.metadata,
  };

  handlers.set('GET /.well-known/openid-configuration', () => json(metadata));
  handlers.set('GET /oauth/jwks', () => json(jwks));

  const fetch = async (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
    const req = new Request(input, init);
    const url = new URL(req.url);
    const text = req.method === 'GET' || req.method === 'HEAD' ? '' : await req.text();
    const form = req.headers.get('content-type')?.startsWith('application/x-www-form-urlencoded') ? new URLSearchParams(text) : undefined;
    const call: RecordedCall = { method: req.method, url, headers: req.headers, form };
    calls.push(call);
    const handler = handlers.get(`${req.method} ${url.origin === ISSUER ? url.pathname : url.href}`) ?? handlers.get(`${req.method} ${url.pathname}`);
    if (!handler) return json({ error: 'not_found' }, 404);
    return handler(call);
  };

  async function sign(
    claims: JWTPayload,
    opts: { key?: CryptoKey; kid?: string; typ?: string; alg?: string } = {},
  ): Promise<string> {
    return new SignJWT(claims)
      .setProtectedHeader({ alg: opts.alg ?? 'RS256', kid: opts.kid ?? 'k1', typ: opts.typ ?? 'JWT' })
      .sign(opts.key ?? keys.privateKey);
  }

  function idTokenClaims(extra: JWTPayload = {}): JWTPayload {
    const now = Math.floor(Date.now() / 1000);
    return {
      iss: ISSUER,
      sub: 'user_1',
      aud: CLIENT_ID,
      iat: now,
      exp: now + 300,
      name: 'Ada Lovelace',
      preferred_username: 'ada',
      email: 'ada@example.com',
      picture: 'https://img.example.com/ada.png',
      ...extra,
    };
  }

  return {
    metadata,
    calls,
    fetch: fetch as typeof globalThis.fetch,
    privateKey: keys.privateKey,
    publicJwk,
    setJwks(next: { keys: JWK[] }) {
      jwks = next;
    },
    on(route: string, handler: Handler) {
      handlers.set(route, handler);
    },
    sign,
    idTokenClaims,
    idToken: (extra: JWTPayload = {}, opts?: { key?: CryptoKey; kid?: string; typ?: string }) => sign(idTokenClaims(extra), opts),
    callsTo(path: string) {
      return calls.filter((c) => c.url.pathname === path);
    },
  };
}

export type MockServer = Awaited<ReturnType<typeof createMockServer>>;
