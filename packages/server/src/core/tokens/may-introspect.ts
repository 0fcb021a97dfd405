/**
 * Who may learn what a token is: the one rule behind introspection and token resources.
 *
 * RFC 7662 §2.2 lets the server answer `{"active": false}` to a caller that is not allowed to
 * see the token, and §4 (privacy) asks it to tell a resource server no more than it needs: a
 * token's user, scopes, workspaces and sign-in time are not for every registered client. So a
 * client sees its own tokens; a confidential client an administrator flagged as a resource
 * server also sees access tokens issued to other clients (the ones it is sent as a bearer,
 * RFC 6750). A refresh token is only ever presented to the authorization server by the client it
 * was issued to (RFC 6749 §1.5, §10.4), so only that client may ask about it.
 *
 * A resource registry with per-resource introspectors extends this function: it is the only
 * place the rule lives.
 */
import type { Client, TokenRecord } from '../model.js';

export function mayIntrospect(caller: Client, token: TokenRecord): boolean {
  if (caller.id === token.clientId) return true;
  return token.kind === 'access' && caller.resourceServer && caller.tokenEndpointAuthMethod !== 'none';
}
