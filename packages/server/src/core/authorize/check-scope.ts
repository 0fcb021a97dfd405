/** RFC 6749 §3.3: only scopes in the catalogue and allowed for this client. */
import type { CoreDeps } from '../deps.js';
import { OAuthError } from '../errors.js';
import type { Client, Scope } from '../model.js';
import { parseScope, type Params } from '../params.js';

export async function checkScope(deps: CoreDeps, client: Client, params: Params): Promise<{ scopes: string[]; catalogue: Scope[] }> {
  const scopes = parseScope(params.get('scope'));
  if (scopes.length === 0) throw new OAuthError('invalid_scope', 'scope is required');
  const notAllowed = scopes.filter((scope) => !client.scopes.includes(scope));
  if (notAllowed.length > 0) {
    throw new OAuthError('invalid_scope', `scope not allowed for this client: ${notAllowed.join(' ').slice(0, 200)}`);
  }
  const catalogue = await deps.stores.findScopes(scopes);
  const unknown = scopes.filter((scope) => !catalogue.some((known) => known.name === scope));
  if (unknown.length > 0) throw new OAuthError('invalid_scope', `unknown scope: ${unknown.join(' ').slice(0, 200)}`);
  if (scopes.includes('offline_access') && !client.grantTypes.includes('refresh_token')) {
    throw new OAuthError('invalid_scope', 'offline_access requires a client with the refresh_token grant');
  }
  return { scopes, catalogue };
}
