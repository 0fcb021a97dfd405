/** `client_credentials` (RFC 6749 §4.4): confidential clients only; the token's subject is the client. */
import type { CoreDeps } from '../deps.js';
import { errors } from '../error-catalogue.js';
import { OAuthError } from '../errors.js';
import type { Client } from '../model.js';
import { formatScope, parseScope, type Params } from '../params.js';
import { accessTokenTtl, mintAccessToken } from '../tokens/issue.js';
import { randomId } from '../tokens/opaque.js';
import type { GrantHandler } from './grant.js';
import { checkResource } from '../authorize/check-resource.js';

/** Identity scopes describe a user; a client acting for itself has none. */
const USER_ONLY_SCOPES = new Set(['openid', 'profile', 'email', 'offline_access']);

export const clientCredentialsGrant: GrantHandler<'client_credentials'> = {
  grantType: 'client_credentials',
  description: 'The app acts on its own behalf, with no user. Needs a client secret.',
  // A public client cannot authenticate, so it cannot act on its own behalf (RFC 6749 §4.4).
  allowsPublicClients: false,

  async handle(deps: CoreDeps, client: Client, params: Params) {
    const allowed = client.scopes.filter((scope) => !USER_ONLY_SCOPES.has(scope));
    const requested = parseScope(params.get('scope'));
    const refused = requested.filter((scope) => !allowed.includes(scope));
    if (refused.length > 0) throw new OAuthError(errors.invalidScope.notAllowed(refused.join(' ').slice(0, 200)));
    const scopes = requested.length > 0 ? requested : allowed;
    const now = deps.now();
    const access = await mintAccessToken(
      deps,
      {
        client,
        userId: null,
        grantId: null,
        familyId: randomId(),
        scopes,
        workspaceIds: [],
        resource: checkResource(params),
        authTime: null,
        sessionId: null,
      },
      now,
    );
    if (access.record) await deps.stores.insertTokens([access.record]);
    return { access_token: access.value, token_type: 'Bearer', expires_in: accessTokenTtl(deps, client), scope: formatScope(scopes) };
  },
};
