/** Internal: the back-channel operations shared by {@link GatehouseApp} and {@link TokenSet}. */
import { errors as joseErrors } from 'jose';
import { allowedAlgorithms, audienceList, Discovery, verifyJws } from './discovery.js';
import { GatehouseError, IdTokenError, UnexpectedResponseError, type OAuthEndpoint } from './errors.js';
import { applyClientAuth, errorFromResponse, leftHalfHash, readJsonObject, withTimeout, type ClientAuthMethod, type ClientCredentials, type FetchLike } from './http.js';

/** Claims of a validated ID token (OpenID Connect Core §2, §5.1). */
export interface IdTokenClaims {
  iss: string;
  sub: string;
  aud: string | string[];
  exp: number;
  iat: number;
  nonce?: string;
  azp?: string;
  auth_time?: number;
  name?: string;
  nickname?: string;
  preferred_username?: string;
  picture?: string;
  profile?: string;
  email?: string;
  email_verified?: boolean;
  [claim: string]: unknown;
}

/** A successful token response (RFC 6749 §5.1, OpenID Connect Core §3.1.3.3). */
export interface TokenResponse {
  access_token: string;
  token_type: string;
  expires_in?: number;
  scope?: string;
  refresh_token?: string;
  id_token?: string;
}

/** Receives a token set after its tokens changed (refresh, rotation), so the app can store `tokens.toJSON()`. */
export type OnTokens = (tokens: import('./token-set.js').TokenSet) => void | Promise<void>;

/** What an app is configured with; `GatehouseAppOptions` in the public API. */
export interface CoreConfig {
  /** The issuer identifier, e.g. `http://localhost:3000`. Discovery is read from `{issuer}/.well-known/openid-configuration`. */
  issuer: string;
  clientId: string;
  /** Required unless `authMethod` is `none` (public clients: SPAs, native apps, CLIs). */
  clientSecret?: string;
  /** Client authentication (RFC 6749 §2.3.1). Default: `client_secret_basic` with a secret, else `none`. */
  authMethod?: ClientAuthMethod;
  /** The registered redirect URI (RFC 6749 §3.1.2). Needed for the authorization code flow. */
  redirectUri?: string;
  /** A custom fetch (tests, proxies, edge runtimes). Default: the global `fetch`. */
  fetch?: typeof fetch;
  /** Tolerance for `exp` / `iat` checks on ID tokens. Default 30 seconds. */
  clockSkewSeconds?: number;
  /** Called with the token set after every refresh, to store `tokens.toJSON()`. A token set's own `onTokens` wins. */
  onTokens?: OnTokens;
}

export function resolveFetch(f: typeof fetch | undefined): FetchLike {
  return f ?? ((input, init) => globalThis.fetch(input, init));
}

export function resolveClient(config: { clientId?: string; clientSecret?: string; authMethod?: ClientAuthMethod }): ClientCredentials | undefined {
  if (!config.clientId) return undefined;
  const authMethod = config.authMethod ?? (config.clientSecret ? 'client_secret_basic' : 'none');
  if (authMethod !== 'none' && !config.clientSecret) {
    throw new GatehouseError('configuration', `authMethod ${authMethod} needs a clientSecret`);
  }
  return { clientId: config.clientId, clientSecret: config.clientSecret, authMethod };
}

/** POSTs a client-authenticated form to one of the server's endpoints. */
export async function postForm(
  fetch: FetchLike,
  client: ClientCredentials,
  url: string,
  params: Record<string, string | undefined>,
): Promise<Response> {
  const body = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined) body.set(k, v);
  const headers = new Headers({ 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' });
  applyClientAuth(client, headers, body);
  return fetch(url, withTimeout({ method: 'POST', headers, body: body.toString() }));
}

export class AppCore {
  readonly discovery: Discovery;
  readonly client: ClientCredentials;
  readonly redirectUri: string | undefined;
  readonly fetch: FetchLike;
  readonly skew: number;
  readonly onTokens: OnTokens | undefined;

  constructor(config: CoreConfig) {
    if (!config.issuer) throw new GatehouseError('configuration', 'issuer is required');
    if (!config.clientId) throw new GatehouseError('configuration', 'clientId is required');
    this.fetch = resolveFetch(config.fetch);
    this.discovery = new Discovery(config.issuer, this.fetch);
    this.client = resolveClient(config)!;
    this.redirectUri = config.redirectUri;
    this.skew = config.clockSkewSeconds ?? 30;
    this.onTokens = config.onTokens;
  }

  async post(endpoint: OAuthEndpoint, name: 'token_endpoint' | 'revocation_endpoint' | 'resources_endpoint', fallback: string, params: Record<string, string | undefined>): Promise<Response> {
    const url = await this.discovery.endpoint(name, fallback);
    const res = await postForm(this.fetch, this.client, url, params);
    if (!res.ok) throw await errorFromResponse(res, endpoint, `${endpoint} endpoint`);
    return res;
  }

  /** Token endpoint request (RFC 6749 §3.2) and response validation (§5.1). */
  async tokenRequest(params: Record<string, string | undefined>): Promise<TokenResponse> {
    const res = await this.post('token', 'token_endpoint', '/oauth/token', params);
    const body = await readJsonObject(res, 'Token endpoint');
    if (typeof body.access_token !== 'string' || !body.access_token) {
      throw new UnexpectedResponseError('Token endpoint: response has no access_token', res.status);
    }
    if (typeof body.token_type !== 'string' || body.token_type.toLowerCase() !== 'bearer') {
      throw new UnexpectedResponseError(`Token endpoint: unsupported token_type ${String(body.token_type)}`, res.status);
    }
    const expiresIn = typeof body.expires_in === 'string' ? Number(body.expires_in) : body.expires_in;
    return {
      access_token: body.access_token,
      token_type: body.token_type,
      expires_in: typeof expiresIn === 'number' && Number.isFinite(expiresIn) ? expiresIn : undefined,
      scope: typeof body.scope === 'string' ? body.scope : undefined,
      refresh_token: typeof body.refresh_token === 'string' && body.refresh_token ? body.refresh_token : undefined,
      id_token: typeof body.id_token === 'string' && body.id_token ? body.id_token : undefined,
    };
  }

  /**
   * ID token validation, OpenID Connect Core §3.1.3.7 (and §12.2 for refreshed ID tokens):
   * signature against the server's JWKS with an advertised asymmetric `alg`, `iss` equal to the
   * issuer, `aud` containing the client id, `azp` equal to the client id when present or when
   * there are several audiences, `exp` in the future and `iat` not in the future (both with
   * clock skew), `nonce` equal to the saved one, `auth_time` within `max_age`, `at_hash` (when the
   * token has one) matching the access token of the same response (§3.1.3.6, §3.2.2.9), and — for
   * a refreshed ID token — the same `sub` as before.
   */
  async verifyIdToken(idToken: string, expect: { nonce?: string; maxAge?: number; sub?: string; accessToken?: string }): Promise<IdTokenClaims> {
    const metadata = await this.discovery.metadata();
    let payload: Record<string, unknown>;
    let header: { typ?: string; alg?: string };
    try {
      ({ payload, header } = await verifyJws(idToken, this.discovery.jwks(), allowedAlgorithms(metadata)));
    } catch (cause) {
      if (cause instanceof joseErrors.JOSEAlgNotAllowed) throw new IdTokenError('algorithm', 'ID token is signed with an algorithm that is not allowed', { cause });
      if (cause instanceof joseErrors.JWSSignatureVerificationFailed || cause instanceof joseErrors.JWKSNoMatchingKey) {
        throw new IdTokenError('signature', 'ID token signature verification failed', { cause });
      }
      if (cause instanceof joseErrors.JOSEError) {
        throw new IdTokenError('malformed', 'ID token is malformed', { cause });
      }
      throw cause;
    }
    if (typeof header.typ === 'string' && /^(application\/)?at\+jwt$/i.test(header.typ)) {
      throw new IdTokenError('malformed', 'An access token (typ at+jwt) was presented as an ID token');
    }
    const now = Math.floor(Date.now() / 1000);
    const c = payload;
    if (c.iss !== metadata.issuer) throw new IdTokenError('issuer', `ID token iss ${String(c.iss)} does not match ${metadata.issuer}`);
    if (typeof c.sub !== 'string' || !c.sub) throw new IdTokenError('malformed', 'ID token has no sub');
    const aud = audienceList(c.aud);
    if (!aud.includes(this.client.clientId)) throw new IdTokenError('audience', 'ID token aud does not include this client');
    if ((aud.length > 1 || c.azp !== undefined) && c.azp !== this.client.clientId) {
      throw new IdTokenError('azp', 'ID token azp does not name this client');
    }
    if (typeof c.exp !== 'number') throw new IdTokenError('malformed', 'ID token has no exp');
    if (c.exp + this.skew <= now) throw new IdTokenError('expired', 'ID token has expired');
    if (typeof c.iat !== 'number') throw new IdTokenError('malformed', 'ID token has no iat');
    if (c.iat - this.skew > now) throw new IdTokenError('iat', 'ID token iat is in the future');
    if (expect.nonce !== undefined && c.nonce !== expect.nonce) throw new IdTokenError('nonce', 'ID token nonce does not match the saved nonce');
    if (expect.maxAge !== undefined) {
      if (typeof c.auth_time !== 'number') throw new IdTokenError('auth_time', 'ID token has no auth_time although max_age was requested');
      if (c.auth_time + expect.maxAge + this.skew < now) throw new IdTokenError('auth_time', 'End-user authentication is older than max_age');
    }
    if (expect.sub !== undefined && c.sub !== expect.sub) throw new IdTokenError('subject', 'Refreshed ID token has a different sub');
    if (expect.accessToken !== undefined && c.at_hash !== undefined) {
      const expected = await leftHalfHash(expect.accessToken, header.alg);
      if (typeof c.at_hash !== 'string' || expected === undefined || c.at_hash !== expected) {
        throw new IdTokenError('at_hash', 'ID token at_hash does not match the access token it came with');
      }
    }
    return c as IdTokenClaims;
  }

  /** Token revocation (RFC 7009 §2.1). */
  async revoke(token: string, hint: 'access_token' | 'refresh_token'): Promise<void> {
    const res = await this.post('revocation', 'revocation_endpoint', '/oauth/revoke', { token, token_type_hint: hint });
    await res.body?.cancel();
  }
}
