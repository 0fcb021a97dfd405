/**
 * Token introspection (RFC 7662). Requires client authentication; any inactive, unknown,
 * expired or revoked token is exactly `{"active": false}` (§2.2). `token_type_hint` only orders
 * the search (§2.1): the token's own shape decides.
 */
import { authenticateClient } from '../client-auth/authenticate.js';
import type { CoreDeps } from '../deps.js';
import { formatScope, type Params } from '../params.js';
import type { EndpointResult } from '../result.js';
import { resolveToken } from '../tokens/resolve.js';
import { workspacesOf } from './workspaces.js';

const inactive: EndpointResult = { type: 'json', status: 200, body: { active: false } };

export async function introspectionEndpoint(deps: CoreDeps, authorization: string | undefined, params: Params): Promise<EndpointResult> {
  params.rejectDuplicates();
  await authenticateClient(deps, authorization, params, { allowPublic: false });
  const resolved = await resolveToken(deps, params.require('token'), { withUser: true });
  if (!resolved) return inactive;
  const issuer = deps.config.issuer;
  if (resolved.kind === 'id_token') {
    const { claims } = resolved;
    return {
      type: 'json',
      status: 200,
      body: { active: true, token_type: 'id_token', iss: issuer, sub: claims.sub, aud: claims.aud, client_id: claims.azp ?? claims.aud, exp: claims.exp, iat: claims.iat, jti: claims.jti },
    };
  }
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
