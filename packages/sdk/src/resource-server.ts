import { decodeProtectedHeader, errors as joseErrors } from 'jose';
import { postForm, resolveClient, resolveFetch } from './core.js';
import { allowedAlgorithms, audienceList, Discovery, looksLikeJwt, verifyJws } from './discovery.js';
import { GatehouseError, InsufficientScopeError, InvalidTokenError, UnexpectedResponseError } from './errors.js';
import { errorFromResponse, readJsonObject, sha256Base64url, splitScope, type ClientAuthMethod, type ClientCredentials, type FetchLike } from './http.js';

/** Options for {@link ResourceServer}. */
export interface ResourceServerOptions {
  /** The authorization server's issuer identifier, e.g. `http://localhost:3000`. */
  issuer: string;
  /** Credentials for the introspection endpoint (RFC 7662 §2.1). Required to accept opaque tokens. */
  clientId?: string;
  clientSecret?: string;
  authMethod?: ClientAuthMethod;
  /** When set, the token's `aud` must contain one of these (RFC 9068 §4, RFC 7662 §2.2). */
  audience?: string | string[];
  fetch?: typeof fetch;
  /** How long an introspection result is cached; never past the token's `exp`. Default 30; 0 disables. */
  cacheSeconds?: number;
  /** Maximum cached introspection results; the oldest are evicted first. Default 10 000. */
  cacheMaxEntries?: number;
  /** Introspect JWT access tokens too, so revocation is seen before `exp`. Default false. */
  introspectJwts?: boolean;
  /** Tolerance for `exp` / `iat` checks. Default 30 seconds. */
  clockSkewSeconds?: number;
}

/** A workspace from introspection (`workspaces` member of the Gatehouse introspection response). */
export interface TokenWorkspace {
  id: string;
  slug?: string;
}

/** A verified access token. */
export interface VerifiedAccessToken {
  /** `sub`: the user, or the client for client-credentials tokens (RFC 9068 §2.2). */
  subject: string;
  clientId: string;
  scopes: string[];
  /**
   * Workspaces the token reaches. From introspection; for locally verified JWTs only if the
   * token carries a `workspaces` claim (else `[]` — use `introspectJwts` if you need them).
   */
  workspaces: TokenWorkspace[];
  expiresAt: Date;
  /** All claims (JWT payload or introspection response). */
  claims: Record<string, unknown>;
}

interface CacheEntry {
  value: VerifiedAccessToken;
  until: number;
}

function parseWorkspaces(value: unknown): TokenWorkspace[] {
  if (!Array.isArray(value)) return [];
  const out: TokenWorkspace[] = [];
  for (const w of value) {
    if (w && typeof w === 'object' && typeof (w as TokenWorkspace).id === 'string') {
      const { id, slug } = w as TokenWorkspace;
      out.push(typeof slug === 'string' ? { id, slug } : { id });
    }
  }
  return out;
}

/**
 * Verifies access tokens for an API (a resource server, RFC 6749 §1.1).
 *
 * JWT access tokens (`typ: at+jwt`, RFC 9068) are verified locally against the server's JWKS;
 * opaque tokens are introspected (RFC 7662) with the configured client credentials, and the result
 * cached for `cacheSeconds` (never past `exp`). Any other JWT, an ID token above all, is refused
 * without a request: it is not an access token (RFC 9068 §4, OIDC Core §2).
 */
export class ResourceServer {
  readonly #discovery: Discovery;
  readonly #fetch: FetchLike;
  readonly #client: ClientCredentials | undefined;
  readonly #audience: string[] | undefined;
  readonly #cacheMs: number;
  readonly #maxEntries: number;
  readonly #introspectJwts: boolean;
  readonly #skew: number;
  readonly #cache = new Map<string, CacheEntry>();
  readonly #inflight = new Map<string, Promise<VerifiedAccessToken>>();

  constructor(options: ResourceServerOptions) {
    if (!options.issuer) throw new GatehouseError('configuration', 'issuer is required');
    this.#fetch = resolveFetch(options.fetch);
    this.#discovery = new Discovery(options.issuer, this.#fetch);
    this.#client = resolveClient(options);
    this.#audience = options.audience === undefined ? undefined : typeof options.audience === 'string' ? [options.audience] : options.audience;
    this.#cacheMs = Math.max(0, options.cacheSeconds ?? 30) * 1000;
    this.#maxEntries = Math.max(1, options.cacheMaxEntries ?? 10_000);
    this.#introspectJwts = options.introspectJwts ?? false;
    this.#skew = options.clockSkewSeconds ?? 30;
  }

  /** The issuer, used as the `realm` of `WWW-Authenticate` challenges. */
  get issuer(): string {
    return this.#discovery.issuer;
  }

  /** Number of cached introspection results (for monitoring and tests). */
  get cacheSize(): number {
    return this.#cache.size;
  }

  clearCache(): void {
    this.#cache.clear();
  }

  /**
   * Verifies a bearer access token (RFC 6750). Throws {@link InvalidTokenError} when it is not
   * valid; other errors (network, server errors) are thrown as they are and are not the token's fault.
   */
  async verifyAccessToken(token: string): Promise<VerifiedAccessToken> {
    if (typeof token !== 'string' || token.length === 0) throw new InvalidTokenError('No access token');
    if (looksLikeJwt(token)) {
      let typ: unknown;
      try {
        typ = decodeProtectedHeader(token).typ;
      } catch {
        typ = undefined;
      }
      // RFC 9068 §4: `typ` is `at+jwt` (case-insensitive, `application/` optional), else refuse.
      if (typeof typ !== 'string' || !/^(application\/)?at\+jwt$/i.test(typ)) {
        throw new InvalidTokenError('The token is a JWT whose typ is not at+jwt (an ID token is not an access token)');
      }
      if (!this.#introspectJwts) return this.#verifyJwt(token);
    }
    return this.#introspectCached(token);
  }

  /** Local JWT access token validation, RFC 9068 §4. */
  async #verifyJwt(token: string): Promise<VerifiedAccessToken> {
    const metadata = await this.#discovery.metadata();
    let c: Record<string, unknown>;
    try {
      ({ payload: c } = await verifyJws(token, this.#discovery.jwks(), allowedAlgorithms(metadata)));
    } catch (cause) {
      if (cause instanceof joseErrors.JOSEError) {
        throw new InvalidTokenError('The access token signature is invalid', { cause });
      }
      throw cause;
    }
    const now = Math.floor(Date.now() / 1000);
    if (c.iss !== metadata.issuer) throw new InvalidTokenError('The access token was issued by another issuer');
    if (typeof c.exp !== 'number') throw new InvalidTokenError('The access token has no exp');
    if (c.exp + this.#skew <= now) throw new InvalidTokenError('The access token expired');
    if (typeof c.nbf === 'number' && c.nbf - this.#skew > now) throw new InvalidTokenError('The access token is not yet valid');
    if (typeof c.iat === 'number' && c.iat - this.#skew > now) throw new InvalidTokenError('The access token was issued in the future');
    this.#checkAudience(c.aud);
    return this.#result(c);
  }

  #checkAudience(aud: unknown): void {
    if (!this.#audience) return;
    const got = audienceList(aud);
    if (!this.#audience.some((a) => got.includes(a))) throw new InvalidTokenError('The access token is not meant for this resource server');
  }

  #result(c: Record<string, unknown>): VerifiedAccessToken {
    if (typeof c.sub !== 'string' || !c.sub) throw new InvalidTokenError('The access token has no subject');
    if (typeof c.client_id !== 'string' || !c.client_id) throw new InvalidTokenError('The access token has no client_id');
    return {
      subject: c.sub,
      clientId: c.client_id,
      scopes: splitScope(c.scope) ?? [],
      workspaces: parseWorkspaces(c.workspaces),
      expiresAt: new Date((c.exp as number) * 1000),
      claims: c,
    };
  }

  async #introspectCached(token: string): Promise<VerifiedAccessToken> {
    if (this.#cacheMs === 0) return this.#introspect(token);
    // Keyed by hash so raw tokens do not linger in memory as map keys.
    const key = await sha256Base64url(token);
    const now = Date.now();
    const hit = this.#cache.get(key);
    if (hit) {
      if (hit.until > now) return hit.value;
      this.#cache.delete(key);
    }
    const running = this.#inflight.get(key);
    if (running) return running;
    const p = this.#introspect(token)
      .then((value) => {
        const until = Math.min(Date.now() + this.#cacheMs, value.expiresAt.getTime());
        if (until > Date.now()) this.#store(key, { value, until });
        return value;
      })
      .finally(() => this.#inflight.delete(key));
    this.#inflight.set(key, p);
    return p;
  }

  #store(key: string, entry: CacheEntry): void {
    this.#cache.delete(key);
    if (this.#cache.size >= this.#maxEntries) {
      const now = Date.now();
      for (const [k, e] of this.#cache) if (e.until <= now) this.#cache.delete(k);
      // Still full: evict oldest insertions first (Map preserves insertion order).
      const excess = this.#cache.size - this.#maxEntries + 1;
      if (excess > 0) {
        let n = 0;
        for (const k of this.#cache.keys()) {
          if (n++ >= excess) break;
          this.#cache.delete(k);
        }
      }
    }
    this.#cache.set(key, entry);
  }

  /** Token introspection, RFC 7662 §2.1–2.2. */
  async #introspect(token: string): Promise<VerifiedAccessToken> {
    if (!this.#client) {
      throw new GatehouseError('configuration', 'ResourceServer needs clientId (and clientSecret) to introspect opaque access tokens');
    }
    const url = await this.#discovery.endpoint('introspection_endpoint', '/oauth/introspect');
    const res = await postForm(this.#fetch, this.#client, url, { token, token_type_hint: 'access_token' });
    if (!res.ok) throw await errorFromResponse(res, 'introspection', 'Introspection endpoint');
    const c = await readJsonObject(res, 'Introspection endpoint');
    if (c.active !== true) throw new InvalidTokenError('The access token is not active');
    if (typeof c.token_type === 'string' && /refresh/i.test(c.token_type)) {
      throw new InvalidTokenError('A refresh token is not an access token');
    }
    // Earlier Gatehouse versions answered `active: true` for an ID token.
    if (typeof c.token_type === 'string' && /id_token/i.test(c.token_type)) {
      throw new InvalidTokenError('An ID token is not an access token');
    }
    const metadata = await this.#discovery.metadata();
    if (c.iss !== undefined && c.iss !== metadata.issuer) throw new InvalidTokenError('The access token was issued by another issuer');
    if (typeof c.exp !== 'number') throw new UnexpectedResponseError('Introspection: active token without exp', res.status);
    if (c.exp <= Math.floor(Date.now() / 1000)) throw new InvalidTokenError('The access token expired');
    this.#checkAudience(c.aud);
    return this.#result(c);
  }
}

/**
 * Throws {@link InsufficientScopeError} unless the token grants every one of `scopes`
 * (RFC 6750 §3.1); for checks inside a handler rather than in middleware.
 */
export function assertScopes(token: VerifiedAccessToken, ...scopes: string[]): void {
  const missing = scopes.filter((s) => !token.scopes.includes(s));
  if (missing.length > 0) throw new InsufficientScopeError(scopes);
}
