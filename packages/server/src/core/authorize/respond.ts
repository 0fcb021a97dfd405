/** Authorization responses: query-encoded, always with `iss` (RFC 9207 §2) and `state` when sent (RFC 6749 §4.1.2). */
import type { CoreDeps } from '../deps.js';
import type { OAuthError } from '../errors.js';
import type { CookieInstruction, EndpointResult } from '../result.js';

function redirectTo(uri: string, values: Record<string, string | null | undefined>, cookies?: CookieInstruction[]): EndpointResult {
  const url = new URL(uri);
  for (const [name, value] of Object.entries(values)) {
    if (value !== null && value !== undefined) url.searchParams.set(name, value);
  }
  return { type: 'redirect', location: url.href, ...(cookies ? { cookies } : {}) };
}

export function errorRedirect(deps: CoreDeps, redirectUri: string, state: string | null, error: OAuthError, cookies?: CookieInstruction[]): EndpointResult {
  return redirectTo(redirectUri, { error: error.code, error_description: error.description, state, iss: deps.config.issuer }, cookies);
}

export function successRedirect(deps: CoreDeps, redirectUri: string, state: string | null, code: string | null, cookies?: CookieInstruction[]): EndpointResult {
  return redirectTo(redirectUri, { code, state, iss: deps.config.issuer }, cookies);
}
