import { decodeJwt } from 'jose';
import type { AppCore, IdTokenClaims, OnTokens, TokenResponse } from './core.js';
import { GatehouseError, UnexpectedResponseError } from './errors.js';
import { errorFromResponse, parseBearerChallenge, readJsonObject, splitScope } from './http.js';

/** The signed-in user, from ID token claims or the UserInfo endpoint (OpenID Connect Core §5.1, §5.3). */
export interface GatehouseUser {
  /** `sub`: the stable user id. */
  id: string;
  /** `preferred_username`, else `nickname`. */
  username: string | undefined;
  name: string | undefined;
  picture: string | undefined;
  email: string | undefined;
}

/** A workspace the token grants access to (from the token resources endpoint). */
export interface Workspace {
  id: string;
}

/** How the token set was obtained; decides how it refreshes. */
export type TokenGrant = 'authorization_code' | 'client_credentials';

/** The stored form of a {@link TokenSet}: `JSON.stringify(tokens)` and `app.restore(json)`. */
export interface TokenSetJSON {
  version: 1;
  grant: TokenGrant;
  accessToken: string;
  tokenType: string;
  refreshToken?: string;
  idToken?: string;
  scopes: string[];
  /** Epoch milliseconds. */
  expiresAt: number;
  /** The user as last fetched from the UserInfo endpoint, if ever. */
  userinfo?: GatehouseUser;
}

/** Refresh when the access token expires within this many seconds. */
export const REFRESH_MARGIN_SECONDS = 30;
/** Lifetime assumed when the server omits `expires_in` (RFC 6749 §5.1 makes it RECOMMENDED, not required). */
const DEFAULT_LIFETIME_SECONDS = 3600;

function userFrom(claims: Record<string, unknown>): GatehouseUser {
  const str = (v: unknown) => (typeof v === 'string' ? v : undefined);
  return {
    id: String(claims.sub),
    username: str(claims.preferred_username) ?? str(claims.nickname),
    name: str(claims.name),
    picture: str(claims.picture),
    email: str(claims.email),
  };
}

/**
 * The tokens of one grant, and everything you do with them: call APIs with {@link TokenSet.fetch},
 * get a fresh access token with {@link TokenSet.getAccessToken}, read the user, list workspaces,
 * revoke. Refreshes are single-flight: concurrent callers share one refresh request, and the
 * rotated tokens (RFC 9700 §4.14.2) are handed to `onTokens` for storage.
 *
 * Obtain one from {@link GatehouseApp.handleCallback}, {@link GatehouseApp.clientCredentials}
 * or {@link GatehouseApp.restore}; do not construct it yourself.
 */
export class TokenSet {
  readonly #core: AppCore;
  readonly grant: TokenGrant;
  #accessToken: string;
  #tokenType: string;
  #refreshToken: string | undefined;
  #idToken: string | undefined;
  #scopes: string[];
  #expiresAt: number;
  #claims: IdTokenClaims | undefined;
  #userinfo: GatehouseUser | undefined;
  #refreshing: Promise<void> | undefined;
  #revoked = false;
  /** Called after every refresh with this token set; overrides the app's `onTokens`. */
  onTokens: OnTokens | undefined;

  /** @internal */
  constructor(core: AppCore, grant: TokenGrant, state: { accessToken: string; tokenType: string; refreshToken?: string | undefined; idToken?: string | undefined; scopes: string[]; expiresAt: number; claims?: IdTokenClaims | undefined; userinfo?: GatehouseUser | undefined }) {
    this.#core = core;
    this.grant = grant;
    this.#accessToken = state.accessToken;
    this.#tokenType = state.tokenType;
    this.#refreshToken = state.refreshToken;
    this.#idToken = state.idToken;
    this.#scopes = state.scopes;
    this.#expiresAt = state.expiresAt;
    this.#claims = state.claims;
    this.#userinfo = state.userinfo;
  }

  /** @internal Builds a token set from a token response (RFC 6749 §5.1). */
  static fromResponse(core: AppCore, grant: TokenGrant, res: TokenResponse, claims: IdTokenClaims | undefined, fallbackScopes: string[]): TokenSet {
    return new TokenSet(core, grant, {
      accessToken: res.access_token,
      tokenType: res.token_type,
      refreshToken: res.refresh_token,
      idToken: res.id_token,
      // RFC 6749 §5.1: an omitted scope means "as requested".
      scopes: splitScope(res.scope) ?? fallbackScopes,
      expiresAt: Date.now() + (res.expires_in ?? DEFAULT_LIFETIME_SECONDS) * 1000,
      claims,
    });
  }

  /** @internal */
  static fromJSON(core: AppCore, json: TokenSetJSON): TokenSet {
    let claims: IdTokenClaims | undefined;
    // The ID token was validated when it was received; the app's own storage is trusted here.
    if (json.idToken) claims = decodeJwt(json.idToken) as IdTokenClaims;
    return new TokenSet(core, json.grant, { ...json, claims });
  }

  /** The current access token (RFC 6749 §1.4). Prefer {@link getAccessToken}, which refreshes. */
  get accessToken(): string {
    return this.#accessToken;
  }
  get tokenType(): string {
    return this.#tokenType;
  }
  /** The current refresh token, if any. It rotates on every refresh. */
  get refreshToken(): string | undefined {
    return this.#refreshToken;
  }
  /** The raw ID token (OpenID Connect Core §2), if the `openid` scope was granted. */
  get idToken(): string | undefined {
    return this.#idToken;
  }
  /** The granted scopes (RFC 6749 §3.3). */
  get scopes(): string[] {
    return [...this.#scopes];
  }
  /** When the access token expires. */
  get expiresAt(): Date {
    return new Date(this.#expiresAt);
  }
  /** Validated ID token claims, or `undefined` without an ID token. */
  get claims(): IdTokenClaims | undefined {
    return this.#claims;
  }
  /**
   * The user: from the last {@link fetchUser} call if any, else from the ID token claims, else
   * `undefined` (client credentials, or no `openid` scope).
   */
  get user(): GatehouseUser | undefined {
    return this.#userinfo ?? (this.#claims ? userFrom(this.#claims) : undefined);
  }

  /** True when a refresh is possible: a refresh token is held, or the grant is client credentials. */
  get canRefresh(): boolean {
    return !this.#revoked && (this.#refreshToken !== undefined || this.grant === 'client_credentials');
  }

  #assertUsable(): void {
    if (this.#revoked) throw new GatehouseError('token_revoked', 'This token set has been revoked');
  }

  /**
   * A valid access token: the current one, or — when it expires within 30 seconds and a refresh
   * is possible — a freshly refreshed one. Concurrent callers share a single refresh.
   */
  async getAccessToken(): Promise<string> {
    this.#assertUsable();
    if (this.#refreshing) await this.#refreshing;
    else if (this.canRefresh && this.#expiresAt - REFRESH_MARGIN_SECONDS * 1000 <= Date.now()) await this.refresh();
    return this.#accessToken;
  }

  /**
   * Refreshes now (RFC 6749 §6; for client credentials, requests a new token, §4.4). Single-flight:
   * a call while a refresh is running joins it. The refresh token rotates; `onTokens` is awaited
   * with this token set afterwards. Throws {@link OAuthError} (e.g. `invalid_grant`, status 400)
   * when the server refuses.
   */
  refresh(): Promise<void> {
    this.#assertUsable();
    if (!this.canRefresh) {
      return Promise.reject(new GatehouseError('refresh_unavailable', 'No refresh token: the user must sign in again'));
    }
    this.#refreshing ??= this.#doRefresh().finally(() => {
      this.#refreshing = undefined;
    });
    return this.#refreshing;
  }

  async #doRefresh(): Promise<void> {
    const core = this.#core;
    if (this.grant === 'client_credentials') {
      const res = await core.tokenRequest({ grant_type: 'client_credentials', scope: this.#scopes.join(' ') || undefined });
      this.#apply(res, undefined);
    } else {
      const res = await core.tokenRequest({ grant_type: 'refresh_token', refresh_token: this.#refreshToken });
      // The server has rotated the refresh token: keep the new one even if the ID token check below fails,
      // or the next refresh would present a rotated-out token and trip reuse detection.
      if (res.refresh_token) this.#refreshToken = res.refresh_token;
      // OpenID Connect Core §12.2: a refreshed ID token must match the original's iss, sub, aud.
      const claims = res.id_token ? await core.verifyIdToken(res.id_token, { sub: this.#claims?.sub, accessToken: res.access_token }) : undefined;
      this.#apply(res, claims);
    }
    const onTokens = this.onTokens ?? core.onTokens;
    if (onTokens) await onTokens(this);
  }

  #apply(res: TokenResponse, claims: IdTokenClaims | undefined): void {
    this.#accessToken = res.access_token;
    this.#tokenType = res.token_type;
    // RFC 6749 §6: the server MAY keep the old refresh token; keep ours if none was sent.
    if (res.refresh_token) this.#refreshToken = res.refresh_token;
    if (res.id_token && claims) {
      this.#idToken = res.id_token;
      this.#claims = claims;
    }
    this.#scopes = splitScope(res.scope) ?? this.#scopes;
    this.#expiresAt = Date.now() + (res.expires_in ?? DEFAULT_LIFETIME_SECONDS) * 1000;
  }

  /**
   * `fetch` with `Authorization: Bearer <token>` (RFC 6750 §2.1). If the resource server answers
   * 401 with `WWW-Authenticate: Bearer error="invalid_token"` (RFC 6750 §3.1) and a refresh is
   * possible, refreshes once and retries once. Request bodies must be replayable (string,
   * URLSearchParams, FormData, Blob, ArrayBuffer) or the input a `Request`, which is cloned.
   */
  async fetch(input: string | URL | Request, init?: RequestInit): Promise<Response> {
    const send = (token: string): Promise<Response> => {
      const req = input instanceof Request ? input.clone() : input;
      const headers = new Headers(init?.headers ?? (input instanceof Request ? input.headers : undefined));
      headers.set('authorization', `Bearer ${token}`);
      return this.#core.fetch(req, { ...init, headers });
    };
    const token = await this.getAccessToken();
    const res = await send(token);
    if (res.status !== 401 || !this.canRefresh) return res;
    const challenge = parseBearerChallenge(res.headers.get('www-authenticate'));
    if (challenge?.error !== 'invalid_token') return res;
    await res.body?.cancel().catch(() => undefined);
    // Another caller may already have refreshed while this request was in flight.
    if (this.#accessToken === token) await this.refresh();
    else if (this.#refreshing) await this.#refreshing;
    return send(this.#accessToken);
  }

  /**
   * Fetches the user from the UserInfo endpoint (OpenID Connect Core §5.3) and remembers it as
   * {@link user}. The response `sub` must equal the ID token's `sub` (§5.3.2).
   */
  async fetchUser(): Promise<GatehouseUser> {
    const url = await this.#core.discovery.endpoint('userinfo_endpoint', '/oauth/userinfo');
    const res = await this.fetch(url, { headers: { accept: 'application/json' } });
    if (!res.ok) throw await errorFromResponse(res, 'userinfo', 'UserInfo endpoint');
    const body = await readJsonObject(res, 'UserInfo endpoint');
    if (typeof body.sub !== 'string') throw new UnexpectedResponseError('UserInfo: response has no sub', res.status);
    if (this.#claims && body.sub !== this.#claims.sub) {
      throw new UnexpectedResponseError('UserInfo: sub differs from the ID token sub', res.status);
    }
    this.#userinfo = userFrom(body);
    return this.#userinfo;
  }

  /**
   * The workspaces this access token may reach, from the server's token resources endpoint
   * (`POST /oauth/token/resources`, client-authenticated).
   */
  async workspaces(): Promise<Workspace[]> {
    const token = await this.getAccessToken();
    const res = await this.#core.post('resources', 'resources_endpoint', '/oauth/token/resources', { token });
    const body = await readJsonObject(res, 'Token resources endpoint');
    const seen = new Set<string>();
    const out: Workspace[] = [];
    const infos = Array.isArray(body.resource_infos) ? body.resource_infos : [];
    for (const info of infos as Array<{ resources?: { workspace?: { ids?: unknown } } }>) {
      const ids = info?.resources?.workspace?.ids;
      if (!Array.isArray(ids)) continue;
      for (const id of ids) {
        if (typeof id === 'string' && !seen.has(id)) {
          seen.add(id);
          out.push({ id });
        }
      }
    }
    return out;
  }

  /**
   * Revokes the grant (RFC 7009 §2.1): the refresh token when held (which also ends the access
   * tokens issued from it, §2.1), else the access token. Afterwards the token set is unusable.
   */
  async revoke(): Promise<void> {
    if (this.#revoked) return;
    if (this.#refreshing) await this.#refreshing.catch(() => undefined);
    if (this.#refreshToken) await this.#core.revoke(this.#refreshToken, 'refresh_token');
    else await this.#core.revoke(this.#accessToken, 'access_token');
    this.#revoked = true;
  }

  /** The storable form; pass it (or its JSON string) to {@link GatehouseApp.restore}. Contains secrets: store it server-side. */
  toJSON(): TokenSetJSON {
    const json: TokenSetJSON = {
      version: 1,
      grant: this.grant,
      accessToken: this.#accessToken,
      tokenType: this.#tokenType,
      scopes: [...this.#scopes],
      expiresAt: this.#expiresAt,
    };
    if (this.#refreshToken) json.refreshToken = this.#refreshToken;
    if (this.#idToken) json.idToken = this.#idToken;
    if (this.#userinfo) json.userinfo = this.#userinfo;
    return json;
  }
}
