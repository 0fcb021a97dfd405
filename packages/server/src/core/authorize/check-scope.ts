/** RFC 6749 §3.3: only scopes in the catalogue and allowed for this client. */
import type { CoreDeps } from '../deps.js';
import { errors } from '../error-catalogue.js';
import { OAuthError } from '../errors.js';
import type { Client, Scope } from '../model.js';
import { parseScope, type Params } from '../params.js';
import type { AuthorizationRequest } from './request.js';

/** The OpenID Connect scope that asks for a refresh token (OIDC Core §11). */
export const OFFLINE_ACCESS = 'offline_access';

/**
 * `offline_access` (OIDC Core §11) is the standard way to ask for a refresh token. It is honoured
 * for any client that may receive one (the refresh_token grant and a response type that returns a
 * code), whether or not the client listed it among its scopes. Otherwise §11 says the server
 * "MUST ignore the offline_access request", so it is dropped from the request rather than refused.
 */
export async function checkScope(
  deps: CoreDeps,
  client: Client,
  params: Params,
  responseType: AuthorizationRequest['responseType'],
): Promise<{ scopes: string[]; catalogue: Scope[] }> {
  const requested = parseScope(params.get('scope'));
  if (requested.length === 0) throw new OAuthError(errors.invalidScope.required);
  const offline = responseType === 'code' && client.grantTypes.includes('refresh_token');
  const scopes = offline ? requested : requested.filter((scope) => scope !== OFFLINE_ACCESS);
  if (scopes.length === 0) throw new OAuthError(errors.invalidScope.offlineAccessAlone);
  const notAllowed = scopes.filter((scope) => !client.scopes.includes(scope) && !(offline && scope === OFFLINE_ACCESS));
  if (notAllowed.length > 0) {
    throw new OAuthError(errors.invalidScope.notAllowed(notAllowed.join(' ').slice(0, 200)));
  }
  const catalogue = await deps.stores.findScopes(scopes);
  const unknown = scopes.filter((scope) => !catalogue.some((known) => known.name === scope));
  if (unknown.length > 0) throw new OAuthError(errors.invalidScope.unknown(unknown.join(' ').slice(0, 200)));
  return { scopes, catalogue };
}
