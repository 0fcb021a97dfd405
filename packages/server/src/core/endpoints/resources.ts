/**
 * Token resources: which of the user's resources a token was granted (`resource_infos`, from the
 * `/oauth/v1` platform API layout that Gatehouse also serves). The caller learns this for the tokens it may introspect (`mayIntrospect`,
 * RFC 7662 §4): its own, or, for a client flagged as a resource server, other clients' access
 * tokens. An ID token is no credential and is refused like an unknown token.
 */
import { authenticateClient } from '../client-auth/authenticate.js';
import type { CoreDeps } from '../deps.js';
import { errors } from '../error-catalogue.js';
import { OAuthError } from '../errors.js';
import type { Params } from '../params.js';
import type { EndpointResult } from '../result.js';
import { mayIntrospect } from '../tokens/may-introspect.js';
import { resolveToken } from '../tokens/resolve.js';

export async function resourcesEndpoint(deps: CoreDeps, authorization: string | undefined, params: Params): Promise<EndpointResult> {
  params.rejectDuplicates();
  const authenticated = await authenticateClient(deps, authorization, params, { allowPublic: true });
  const resolved = await resolveToken(deps, params.require('token'));
  if (!resolved || !mayIntrospect(authenticated!.client, resolved.record)) {
    throw new OAuthError(errors.invalidToken.tokenInvalid);
  }
  const { record } = resolved;
  const owner = record.userId ? { id: record.userId, type: 'User' } : { id: record.clientId, type: 'Client' };
  return {
    type: 'json',
    status: 200,
    body: { resource_infos: [{ owner, resources: { workspace: { ids: record.workspaceIds } } }] },
  };
}
