/** Token endpoint (RFC 6749 §3.2, §5). Responses carry `Cache-Control: no-store` (added by the HTTP layer for every token response). */
import { authenticateClient } from '../client-auth/authenticate.js';
import type { CoreDeps } from '../deps.js';
import { errors } from '../error-catalogue.js';
import { NotFoundError, OAuthError } from '../errors.js';
import type { TokenRequestOptions } from '../grants/grant.js';
import { grantHandlerFor } from '../grants/registry.js';
import type { Params } from '../params.js';
import type { EndpointResult } from '../result.js';

export async function tokenEndpoint(deps: CoreDeps, authorization: string | undefined, params: Params, options: TokenRequestOptions = {}): Promise<EndpointResult> {
  params.rejectDuplicates();
  const grantType = params.require('grant_type');
  const handler = grantHandlerFor(grantType);
  if (!handler) throw new OAuthError(errors.unsupportedGrantType.unsupported);
  const authenticated = await authenticateClient(deps, authorization, params, { allowPublic: handler.allowsPublicClients });
  const client = authenticated!.client;
  if (!client.grantTypes.includes(handler.grantType)) {
    throw new OAuthError(errors.unauthorizedClient.grantNotAllowed(handler.grantType));
  }
  try {
    return { type: 'json', status: 200, body: await handler.handle(deps, client, params, options) };
  } catch (error) {
    // Deleted by another instance while this one still knew it: the client is simply gone.
    if (error instanceof NotFoundError && error.what === 'client') throw new OAuthError(errors.invalidClient.authenticationFailed, { detail: error.message });
    throw error;
  }
}
