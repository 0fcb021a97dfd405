import { AppCore, type CoreConfig, type OnTokens } from './core.js';
import { GatehouseError, IdTokenError, IssuerMismatchError, OAuthError, StateMismatchError, UnexpectedResponseError } from './errors.js';
import { randomToken, s256, type ClientAuthMethod } from './http.js';
import { TokenSet, type TokenSetJSON } from './token-set.js';

/** Options for {@link GatehouseApp}. */
export type GatehouseAppOptions = CoreConfig;

/** Options for {@link GatehouseApp.authorizationUrl}. */
export interface AuthorizationUrlOptions {
  /** Requested scopes (RFC 6749 §3.3), e.g. `['openid', 'profile', 'email', 'offline_access']`. */
  scopes: string[];
  /** Override the generated `state` (RFC 6749 §4.1.1). Must be unguessable. */
  state?: string;
  /** Override the generated `nonce` (OpenID Connect Core §3.1.2.1); only used when `openid` is requested. */
  nonce?: string;
  /** `none`, `login`, `consent`, `select_account` (OpenID Connect Core §3.1.2.1). */
  prompt?: string;
  loginHint?: string;
  /** Maximum authentication age in seconds; pass it to {@link GatehouseApp.handleCallback} too, to check `auth_time`. */
  maxAge?: number;
  /** Resource indicator(s) (RFC 8707 §2). */
  resource?: string | string[];
  /** Further parameters. The security parameters (state, nonce, PKCE, client_id, redirect_uri, response_type) cannot be overridden. */
  extraParams?: Record<string, string>;
}

/** What to keep (in the session, server-side or in an encrypted cookie) between redirect and callback. */
export interface AuthorizationRequest {
  /** Where to send the user agent. */
  url: string;
  state: string;
  /** Present when `openid` was requested. */
  nonce: string | undefined;
  /** PKCE code verifier (RFC 7636 §4.1). Secret: never send it to the browser. */
  codeVerifier: string;
}

/** The saved values {@link GatehouseApp.handleCallback} checks against. */
export interface SavedAuthorization {
  state: string;
  nonce?: string | undefined;
  codeVerifier: string;
  /** The `maxAge` passed to `authorizationUrl`, if any; enables the `auth_time` check. */
  maxAge?: number | undefined;
}

const RESERVED = new Set(['response_type', 'client_id', 'redirect_uri', 'state', 'nonce', 'code_challenge', 'code_challenge_method', 'scope']);

function callbackErrorStatus(error: string): number {
  if (error === 'access_denied') return 403;
  if (error === 'server_error') return 500;
  if (error === 'temporarily_unavailable') return 503;
  return 400;
}

/**
 * A Gatehouse OAuth 2.1 / OpenID Connect client application.
 *
 * ```ts
 * const app = new GatehouseApp({ issuer, clientId, clientSecret, redirectUri });
 * const req = await app.authorizationUrl({ scopes: ['openid', 'profile', 'offline_access'] });
 * // save req.state, req.nonce, req.codeVerifier in the session, redirect to req.url; then on the callback:
 * const tokens = await app.handleCallback(callbackUrl, saved);
 * ```
 */
export class GatehouseApp {
  readonly #core: AppCore;

  constructor(options: GatehouseAppOptions) {
    this.#core = new AppCore(options);
  }

  get clientId(): string {
    return this.#core.client.clientId;
  }

  get issuer(): string {
    return this.#core.discovery.issuer;
  }

  /**
   * Builds an authorization request (RFC 6749 §4.1.1, OpenID Connect Core §3.1.2.1) with PKCE S256
   * (RFC 7636 §4.2; required by OAuth 2.1), a random `state`, and a random `nonce` when `openid`
   * is among the scopes. Keep `state`, `nonce` and `codeVerifier` for {@link handleCallback}.
   */
  async authorizationUrl(options: AuthorizationUrlOptions): Promise<AuthorizationRequest> {
    const core = this.#core;
    if (!core.redirectUri) throw new GatehouseError('configuration', 'redirectUri is required for the authorization code flow');
    const endpoint = await core.discovery.endpoint('authorization_endpoint', '/oauth/authorize');
    const state = options.state ?? randomToken();
    const codeVerifier = randomToken();
    const nonce = options.scopes.includes('openid') ? (options.nonce ?? randomToken()) : undefined;
    const url = new URL(endpoint);
    const p = url.searchParams;
    p.set('response_type', 'code');
    p.set('client_id', core.client.clientId);
    p.set('redirect_uri', core.redirectUri);
    if (options.scopes.length > 0) p.set('scope', options.scopes.join(' '));
    p.set('state', state);
    p.set('code_challenge', await s256(codeVerifier));
    p.set('code_challenge_method', 'S256');
    if (nonce !== undefined) p.set('nonce', nonce);
    if (options.prompt !== undefined) p.set('prompt', options.prompt);
    if (options.loginHint !== undefined) p.set('login_hint', options.loginHint);
    if (options.maxAge !== undefined) p.set('max_age', String(options.maxAge));
    for (const r of typeof options.resource === 'string' ? [options.resource] : (options.resource ?? [])) p.append('resource', r);
    for (const [k, v] of Object.entries(options.extraParams ?? {})) {
      if (RESERVED.has(k)) throw new TypeError(`extraParams cannot set ${k}`);
      p.set(k, v);
    }
    return { url: url.href, state, nonce, codeVerifier };
  }

  /**
   * Completes the authorization code flow:
   * 1. `state` must equal the saved state (RFC 6749 §10.12) — else {@link StateMismatchError};
   * 2. `iss` must equal the issuer when present, and must be present when the server advertises
   *    `authorization_response_iss_parameter_supported` (RFC 9207 §2.4) — else {@link IssuerMismatchError};
   * 3. an `error` response becomes an {@link OAuthError} (RFC 6749 §4.1.2.1);
   * 4. the code is exchanged with the PKCE verifier (RFC 6749 §4.1.3, RFC 7636 §4.5);
   * 5. the ID token is validated (OpenID Connect Core §3.1.3.7) — else {@link IdTokenError}.
   *
   * `callbackUrl` may be absolute or relative to the redirect URI (e.g. Express's `req.originalUrl`).
   */
  async handleCallback(callbackUrl: string | URL, saved: SavedAuthorization): Promise<TokenSet> {
    const core = this.#core;
    const url = new URL(callbackUrl, core.redirectUri);
    const params = url.searchParams;
    const state = params.get('state');
    if (!saved.state || state !== saved.state) throw new StateMismatchError();

    const metadata = await core.discovery.metadata();
    const iss = params.get('iss');
    if (iss !== null) {
      if (iss !== metadata.issuer) throw new IssuerMismatchError(metadata.issuer, iss);
    } else if (metadata.authorization_response_iss_parameter_supported === true) {
      throw new IssuerMismatchError(metadata.issuer, undefined);
    }

    const error = params.get('error');
    if (error !== null) {
      throw new OAuthError({
        error,
        description: params.get('error_description') ?? undefined,
        uri: params.get('error_uri') ?? undefined,
        status: callbackErrorStatus(error),
        endpoint: 'authorization',
      });
    }
    const code = params.get('code');
    if (!code) throw new UnexpectedResponseError('The authorization response has neither code nor error', 0);

    const res = await core.tokenRequest({
      grant_type: 'authorization_code',
      code,
      redirect_uri: core.redirectUri,
      code_verifier: saved.codeVerifier,
    });
    let claims;
    if (res.id_token) {
      claims = await core.verifyIdToken(res.id_token, { nonce: saved.nonce, maxAge: saved.maxAge, accessToken: res.access_token });
    } else if (saved.nonce !== undefined) {
      // A nonce means `openid` was requested: OpenID Connect Core §3.1.3.3 requires an ID token.
      throw new IdTokenError('missing', 'The token response has no id_token although openid was requested');
    }
    return TokenSet.fromResponse(core, 'authorization_code', res, claims, []);
  }

  /** Client credentials grant (RFC 6749 §4.4): a token for the app itself, no user. Refreshing requests a new one. */
  async clientCredentials(scopes: string[] = []): Promise<TokenSet> {
    const core = this.#core;
    if (core.client.authMethod === 'none') throw new GatehouseError('configuration', 'The client credentials grant needs a confidential client');
    const res = await core.tokenRequest({ grant_type: 'client_credentials', scope: scopes.join(' ') || undefined });
    return TokenSet.fromResponse(core, 'client_credentials', res, undefined, scopes);
  }

  /**
   * Rebuilds a token set from {@link TokenSet.toJSON} output (object or JSON string), e.g. from
   * the session on a later request. The stored data is trusted: keep it server-side.
   */
  restore(json: TokenSetJSON | string, options: { onTokens?: OnTokens } = {}): TokenSet {
    const data: unknown = typeof json === 'string' ? JSON.parse(json) : json;
    const d = data as Partial<TokenSetJSON> | null;
    if (
      !d ||
      d.version !== 1 ||
      (d.grant !== 'authorization_code' && d.grant !== 'client_credentials') ||
      typeof d.accessToken !== 'string' ||
      typeof d.expiresAt !== 'number' ||
      !Array.isArray(d.scopes)
    ) {
      throw new TypeError('Not a stored Gatehouse token set');
    }
    const tokens = TokenSet.fromJSON(this.#core, { ...d, tokenType: d.tokenType ?? 'Bearer' } as TokenSetJSON);
    if (options.onTokens) tokens.onTokens = options.onTokens;
    return tokens;
  }
}
