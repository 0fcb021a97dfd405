/**
 * Exact redirect URI matching (RFC 9700 §4.1.3, OAuth 2.1 §2.3.1), except that a loopback
 * redirect URI matches on any port (RFC 8252 §7.3). Failures are shown on an error page.
 */
import { errors } from '../error-catalogue.js';
import { OAuthError } from '../errors.js';
import type { Client } from '../model.js';
import { controlCharacterError, type Params } from '../params.js';

const LOOPBACK_HOSTS = new Set(['127.0.0.1', '[::1]']);

function withoutPort(uri: string): string | undefined {
  try {
    const url = new URL(uri);
    if (url.protocol !== 'http:' || !LOOPBACK_HOSTS.has(url.hostname)) return undefined;
    url.port = '';
    return url.href;
  } catch {
    return undefined;
  }
}

export function redirectUriMatches(registered: string, presented: string): boolean {
  if (registered === presented) return true;
  const loopbackRegistered = withoutPort(registered);
  return loopbackRegistered !== undefined && loopbackRegistered === withoutPort(presented);
}

export function checkRedirectUri(client: Client, params: Params): string {
  if (params.duplicates.includes('redirect_uri')) throw new OAuthError(errors.invalidRequest.duplicateParameter('redirect_uri'));
  const presented = params.get('redirect_uri');
  if (params.hasControlCharacters('redirect_uri')) throw controlCharacterError('redirect_uri');
  if (presented === undefined) {
    const [only, ...others] = client.redirectUris;
    if (only !== undefined && others.length === 0) return only;
    throw new OAuthError(errors.invalidRequest.redirectUriRequired);
  }
  if (!client.redirectUris.some((registered) => redirectUriMatches(registered, presented))) {
    throw new OAuthError(errors.invalidRequest.redirectUriUnregistered, { detail: presented.slice(0, 500) });
  }
  return presented;
}
