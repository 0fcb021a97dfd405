/**
 * Token introspection (RFC 7662). Requires client authentication; any inactive, unknown,
 * expired or revoked token is exactly `{"active": false}` (§2.2). `token_type_hint` only orders
 * the search (§2.1): the token's own shape decides. A token the caller may not see
 * (`mayIntrospect`: another client's, §4) and an ID token, which is no credential, answer the same.
 */
import { authenticateClient } from '../client-auth/authenticate.js';
import { INTROSPECTION_CLIENT_AUTH } from '../client-auth/methods.js';
import type { CoreDeps } from '../deps.js';
import { formatScope, type Params } from '../params.js';
import type { EndpointResult } from '../result.js';
import { mayIntrospect } from '../tokens/may-introspect.js';
import { resolveToken } from '../tokens/resolve.js';
import { workspacesOf } from './workspaces.js';

const inactive: EndpointResult = { type: 'json', status: 200, body: { active: false } };

export async function introspectionEndpoint(deps: CoreDeps, authorization: string | undefined, params: Params): Promise<EndpointResult> {
  params.rejectDuplicates();
  // Not optional: a failed authentication throws.
  const { client: caller } = (await authenticateClient(deps, authorization, params, INTROSPECTION_CLIENT_AUTH))!;
  const resolved = await resolveToken(deps, params.require('token'), { withUser: true });
  if (!resolved || !mayIntrospect(caller, resolved.record)) return inactive;
  const issuer = deps.config.issuer;
  const { record, user } = resolved;
  if (record.userId && (!user || user.disabledAt !== null)) return inactive;
  const workspaces = await workspacesOf(deps, record.workspaceIds);
  return {
    type: 'json',
    status: 200,
    body: {
      active: true,
      jti: record.jti,
      iss: issuer,
      token_type: record.kind === 'access' ? 'Bearer' : 'refresh_token',
      client_id: record.clientId,
      aud: record.resource ?? record.clientId,
      sub: record.userId ?? record.clientId,
      ...(user ? { username: user.username } : {}),
      scope: formatScope(record.scopes),
      exp: record.expiresAt,
      iat: record.createdAt,
      ...(record.authTime !== null ? { auth_time: record.authTime } : {}),
      workspaces: workspaces.map(({ id, slug }) => ({ id, slug })),
    },
  };
}
