/**
 * Exact redirect URI matching (RFC 9700 §4.1.3, OAuth 2.1 §2.3.1), except that an `http`
 * redirect URI on a loopback IP literal matches on any port (RFC 8252 §7.3; which hosts, in
 * clients/loopback.ts). Failures are shown on an error page.
 */
import { withoutFreePort } from '../clients/loopback.js';
import { errors } from '../error-catalogue.js';
import { OAuthError } from '../errors.js';
import type { Client } from '../model.js';
import { controlCharacterError, type Params } from '../params.js';

export function redirectUriMatches(registered: string, presented: string): boolean {
  if (registered === presented) return true;
  const portFree = withoutFreePort(registered);
  return portFree !== undefined && portFree === withoutFreePort(presented);
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
