/** Internal: discovery document and JWKS caching (OpenID Connect Discovery 1.0, RFC 8414). */
import { compactVerify, createLocalJWKSet, errors as joseErrors, type JSONWebKeySet, type JWSHeaderParameters, type FlattenedJWSInput } from 'jose';
import { IssuerMismatchError, UnexpectedResponseError } from './errors.js';
import { readJsonObject, withTimeout, type FetchLike } from './http.js';

/** The fields of the discovery document the SDK uses (RFC 8414 §2, OpenID Connect Discovery §3). */
export interface ServerMetadata {
  issuer: string;
  authorization_endpoint?: string;
  token_endpoint?: string;
  userinfo_endpoint?: string;
  jwks_uri?: string;
  introspection_endpoint?: string;
  revocation_endpoint?: string;
  /** Gatehouse extension: token resources endpoint. */
  resources_endpoint?: string;
  authorization_response_iss_parameter_supported?: boolean;
  code_challenge_methods_supported?: string[];
  token_endpoint_auth_methods_supported?: string[];
  id_token_signing_alg_values_supported?: string[];
  [key: string]: unknown;
}

/** Removes one trailing slash so `http://host/` and `http://host` name the same issuer. */
export function normalizeIssuer(issuer: string): string {
  return issuer.endsWith('/') ? issuer.slice(0, -1) : issuer;
}

/** Fetches the discovery document once (lazily) and caches it; a failed fetch is retried next time. */
export class Discovery {
  readonly issuer: string;
  readonly #fetch: FetchLike;
  #pending: Promise<ServerMetadata> | undefined;
  #jwks: JwksCache | undefined;

  constructor(issuer: string, fetch: FetchLike) {
    this.issuer = normalizeIssuer(issuer);
    this.#fetch = fetch;
  }

  metadata(): Promise<ServerMetadata> {
    if (!this.#pending) {
      this.#pending = this.#load();
      this.#pending.catch(() => {
        this.#pending = undefined;
      });
    }
    return this.#pending;
  }

  async #load(): Promise<ServerMetadata> {
    const url = `${this.issuer}/.well-known/openid-configuration`;
    const res = await this.#fetch(url, withTimeout({ headers: { accept: 'application/json' } }));
    if (!res.ok) throw new UnexpectedResponseError(`Discovery: GET ${url} answered HTTP ${res.status}`, res.status);
    const body = await readJsonObject(res, 'Discovery');
    if (typeof body.issuer !== 'string') throw new UnexpectedResponseError('Discovery: document has no issuer', res.status);
    // OpenID Connect Discovery §4.3: the issuer in the document MUST be the one it was fetched for.
    if (normalizeIssuer(body.issuer) !== this.issuer) {
      throw new IssuerMismatchError(this.issuer, body.issuer, `Discovery: document issuer ${body.issuer} differs from the configured issuer ${this.issuer}`);
    }
    return body as ServerMetadata;
  }

  /** The server's issuer identifier exactly as the discovery document spells it. */
  async canonicalIssuer(): Promise<string> {
    return (await this.metadata()).issuer;
  }

  async endpoint(name: keyof ServerMetadata & `${string}_endpoint` | 'jwks_uri', fallbackPath: string): Promise<string> {
    const value = (await this.metadata())[name];
    return typeof value === 'string' && value ? value : `${this.issuer}${fallbackPath}`;
  }

  jwks(): JwksCache {
    this.#jwks ??= new JwksCache(() => this.endpoint('jwks_uri', '/oauth/jwks'), this.#fetch);
    return this.#jwks;
  }
}

/**
 * The server's signing keys. Fetched on first use, kept for {@link JwksCache.maxAgeMs}, and
 * refetched once when a token names an unknown `kid` (key rotation), at most once per cooldown.
 */
export class JwksCache {
  static maxAgeMs = 10 * 60_000;
  static cooldownMs = 30_000;
  readonly #uri: () => Promise<string>;
  readonly #fetch: FetchLike;
  #set: ReturnType<typeof createLocalJWKSet> | undefined;
  #fetchedAt = 0;
  #pending: Promise<ReturnType<typeof createLocalJWKSet>> | undefined;

  constructor(uri: () => Promise<string>, fetch: FetchLike) {
    this.#uri = uri;
    this.#fetch = fetch;
  }

  #load(): Promise<ReturnType<typeof createLocalJWKSet>> {
    this.#pending ??= (async () => {
      try {
        const uri = await this.#uri();
        const res = await this.#fetch(uri, withTimeout({ headers: { accept: 'application/json, application/jwk-set+json' } }));
        if (!res.ok) throw new UnexpectedResponseError(`JWKS: GET ${uri} answered HTTP ${res.status}`, res.status);
        const body = await readJsonObject(res, 'JWKS');
        if (!Array.isArray(body.keys)) throw new UnexpectedResponseError('JWKS: document has no keys array', res.status);
        this.#set = createLocalJWKSet(body as unknown as JSONWebKeySet);
        this.#fetchedAt = Date.now();
        return this.#set;
      } finally {
        this.#pending = undefined;
      }
    })();
    return this.#pending;
  }

  /** A jose key resolver. */
  readonly getKey = async (header: JWSHeaderParameters, token: FlattenedJWSInput): Promise<CryptoKey> => {
    const stale = Date.now() - this.#fetchedAt > JwksCache.maxAgeMs;
    let loadedNow = false;
    let set = this.#set;
    if (!set || stale) {
      set = await this.#load();
      loadedNow = true;
    }
    try {
      return await set(header, token);
    } catch (err) {
      const canRefetch = !loadedNow && Date.now() - this.#fetchedAt > JwksCache.cooldownMs;
      if (err instanceof joseErrors.JWKSNoMatchingKey && canRefetch) {
        return (await this.#load())(header, token);
      }
      throw err;
    }
  };
}

/** Verifies a compact JWS signature against the server's JWKS; returns header and parsed payload. */
export async function verifyJws(
  token: string,
  jwks: JwksCache,
  algorithms: string[],
): Promise<{ header: JWSHeaderParameters; payload: Record<string, unknown> }> {
  const { payload, protectedHeader } = await compactVerify(token, jwks.getKey, { algorithms });
  let parsed: unknown;
  try {
    parsed = JSON.parse(new TextDecoder().decode(payload));
  } catch {
    parsed = undefined;
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) throw new joseErrors.JWTInvalid('JWT payload is not a JSON object');
  return { header: protectedHeader, payload: parsed as Record<string, unknown> };
}

/** Asymmetric algorithms only; `none` and HMAC are never accepted for server-signed tokens. */
export function allowedAlgorithms(metadata: ServerMetadata): string[] {
  const advertised = Array.isArray(metadata.id_token_signing_alg_values_supported)
    ? metadata.id_token_signing_alg_values_supported.filter((a) => typeof a === 'string' && /^(RS|PS|ES)(256|384|512)$|^EdDSA$|^Ed25519$/.test(a))
    : [];
  return advertised.length > 0 ? advertised : ['RS256', 'ES256'];
}

/** JWT-shaped: three base64url segments. */
export function looksLikeJwt(token: string): boolean {
  return /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/.test(token);
}

export function audienceList(aud: unknown): string[] {
  if (typeof aud === 'string') return [aud];
  if (Array.isArray(aud)) return aud.filter((a): a is string => typeof a === 'string');
  return [];
}
