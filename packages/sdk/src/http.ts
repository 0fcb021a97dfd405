/** Internal HTTP and encoding helpers (Web APIs only). */
import { base64url } from 'jose';
import { OAuthError, UnexpectedResponseError, type OAuthEndpoint } from './errors.js';

export type FetchLike = (input: string | URL | Request, init?: RequestInit) => Promise<Response>;

/** Client authentication methods (RFC 6749 §2.3.1, OpenID Connect Core §9). */
export type ClientAuthMethod = 'client_secret_basic' | 'client_secret_post' | 'none';

export interface ClientCredentials {
  clientId: string;
  clientSecret: string | undefined;
  authMethod: ClientAuthMethod;
}

const encoder = new TextEncoder();

/** 32 random bytes, base64url: 43 characters, enough for state, nonce and a PKCE verifier (RFC 7636 §4.1). */
export function randomToken(): string {
  return base64url.encode(crypto.getRandomValues(new Uint8Array(32)));
}

/** PKCE S256 challenge: BASE64URL(SHA256(ASCII(verifier))) (RFC 7636 §4.2). */
export async function s256(verifier: string): Promise<string> {
  return base64url.encode(new Uint8Array(await crypto.subtle.digest('SHA-256', encoder.encode(verifier))));
}

/**
 * `at_hash`: the left half of the hash of the access token's ASCII octets, base64url, with the hash
 * of the ID token's `alg` (OpenID Connect Core §3.1.3.6, §3.2.2.9): SHA-256 for *256, SHA-384
 * for *384, SHA-512 for *512 and for EdDSA (Ed25519). Undefined for an alg it does not know.
 */
export async function leftHalfHash(value: string, alg: string | undefined): Promise<string | undefined> {
  const bits = alg === 'EdDSA' || alg === 'Ed25519' ? '512' : /^(?:RS|PS|ES)(256|384|512)$/.exec(alg ?? '')?.[1];
  if (bits === undefined) return undefined;
  const digest = new Uint8Array(await crypto.subtle.digest(`SHA-${bits}`, encoder.encode(value)));
  return base64url.encode(digest.slice(0, digest.length / 2));
}

export async function sha256Base64url(value: string): Promise<string> {
  return s256(value);
}

/** application/x-www-form-urlencoded encoding of one value, as RFC 6749 §2.3.1 / Appendix B require for Basic credentials. */
function formEncode(value: string): string {
  return new URLSearchParams({ v: value }).toString().slice(2);
}

function basicAuth(id: string, secret: string): string {
  const raw = `${formEncode(id)}:${formEncode(secret)}`;
  let binary = '';
  for (const byte of encoder.encode(raw)) binary += String.fromCharCode(byte);
  return `Basic ${btoa(binary)}`;
}

/** Adds client authentication to a back-channel request (RFC 6749 §2.3.1; public clients send client_id, §3.2.1). */
export function applyClientAuth(client: ClientCredentials, headers: Headers, body: URLSearchParams): void {
  switch (client.authMethod) {
    case 'client_secret_basic':
      headers.set('authorization', basicAuth(client.clientId, client.clientSecret ?? ''));
      break;
    case 'client_secret_post':
      body.set('client_id', client.clientId);
      body.set('client_secret', client.clientSecret ?? '');
      break;
    case 'none':
      body.set('client_id', client.clientId);
      break;
  }
}

export function withTimeout(init: RequestInit, ms = 15_000): RequestInit {
  if (typeof AbortSignal !== 'undefined' && typeof AbortSignal.timeout === 'function' && !init.signal) {
    return { ...init, signal: AbortSignal.timeout(ms) };
  }
  return init;
}

/** Reads a JSON object body; anything else is an {@link UnexpectedResponseError}. */
export async function readJsonObject(res: Response, what: string): Promise<Record<string, unknown>> {
  const text = await res.text();
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (cause) {
    throw new UnexpectedResponseError(`${what}: response (HTTP ${res.status}) is not JSON`, res.status, { cause });
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new UnexpectedResponseError(`${what}: response (HTTP ${res.status}) is not a JSON object`, res.status);
  }
  return parsed as Record<string, unknown>;
}

/**
 * Turns a non-2xx response into an {@link OAuthError} when it carries an RFC 6749 §5.2 error
 * body, or into an {@link UnexpectedResponseError} otherwise.
 */
export async function errorFromResponse(res: Response, endpoint: OAuthEndpoint, what: string): Promise<Error> {
  const text = await res.text().catch(() => '');
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    body = undefined;
  }
  if (body && typeof body === 'object' && typeof (body as { error?: unknown }).error === 'string') {
    const b = body as { error: string; error_description?: unknown; error_uri?: unknown };
    return new OAuthError({
      error: b.error,
      description: typeof b.error_description === 'string' ? b.error_description : undefined,
      uri: typeof b.error_uri === 'string' ? b.error_uri : undefined,
      status: res.status,
      endpoint,
    });
  }
  // RFC 6750 §3: a bearer-protected endpoint may put the error in WWW-Authenticate only.
  const challenge = parseBearerChallenge(res.headers.get('www-authenticate'));
  if (challenge?.error) {
    return new OAuthError({
      error: challenge.error,
      description: challenge.error_description,
      uri: challenge.error_uri,
      status: res.status,
      endpoint,
    });
  }
  return new UnexpectedResponseError(`${what}: unexpected HTTP ${res.status}`, res.status);
}

/**
 * Parses the parameters of the `Bearer` challenge in a `WWW-Authenticate` header (RFC 6750 §3,
 * RFC 9110 §11.6.1). Returns undefined when there is no Bearer challenge.
 */
export function parseBearerChallenge(header: string | null | undefined): Record<string, string> | undefined {
  if (!header) return undefined;
  const start = header.search(/(?:^|[\s,])Bearer(?:\s|,|$)/i);
  if (start < 0) return undefined;
  const rest = header.slice(start).replace(/^[\s,]*Bearer/i, '');
  const params: Record<string, string> = {};
  const re = /\s*,?\s*([A-Za-z0-9_!#$%&'*+.^`|~-]+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^\s,]+))/gy;
  let match: RegExpExecArray | null;
  while ((match = re.exec(rest)) !== null) {
    const name = match[1]!.toLowerCase();
    const value = match[2] !== undefined ? match[2].replace(/\\(.)/g, '$1') : match[3]!;
    if (!(name in params)) params[name] = value;
  }
  return params;
}

export function splitScope(scope: unknown): string[] | undefined {
  if (typeof scope !== 'string') return undefined;
  return scope.split(' ').filter((s) => s.length > 0);
}
