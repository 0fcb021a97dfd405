/** Token resources: which of the user's resources a token was granted (the seed 001 layout, `resource_infos`). */
import { authenticateClient } from '../client-auth/authenticate.js';
import type { CoreDeps } from '../deps.js';
import { OAuthError } from '../errors.js';
import type { Params } from '../params.js';
import type { EndpointResult } from '../result.js';
import { resolveToken } from '../tokens/resolve.js';

export async function resourcesEndpoint(deps: CoreDeps, authorization: string | undefined, params: Params): Promise<EndpointResult> {
  params.rejectDuplicates();
  const authenticated = await authenticateClient(deps, authorization, params, { allowPublic: true });
  const resolved = await resolveToken(deps, params.require('token'));
  // A client learns the resources behind its own tokens only.
  if (!resolved || resolved.kind === 'id_token' || resolved.record.clientId !== authenticated!.client.id) {
    throw new OAuthError('invalid_token', 'the token is invalid, expired or revoked', { status: 400 });
  }
  const { record } = resolved;
  const owner = record.userId ? { id: record.userId, type: 'User' } : { id: record.clientId, type: 'Client' };
  return {
    type: 'json',
    status: 200,
    body: { resource_infos: [{ owner, resources: { workspace: { ids: record.workspaceIds } } }] },
  };
}
