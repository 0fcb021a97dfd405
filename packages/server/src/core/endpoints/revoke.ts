/**
 * Revocation (RFC 7009). With client authentication only the client's own tokens are revoked and
 * every other case still answers 200 (§2.2). Without it, holding the token is the authority: that
 * token is revoked and nothing else. Revoking a refresh token revokes its family, access tokens
 * included; revoking an access token revokes that token.
 */
import { authenticateClient } from '../client-auth/authenticate.js';
import type { CoreDeps } from '../deps.js';
import type { Params } from '../params.js';
import type { EndpointResult } from '../result.js';
import { revocationSubject } from '../stores.js';
import { resolveToken } from '../tokens/resolve.js';

const done: EndpointResult = { type: 'empty', status: 200 };

export async function revocationEndpoint(deps: CoreDeps, authorization: string | undefined, params: Params): Promise<EndpointResult> {
  params.rejectDuplicates();
  const authenticated = await authenticateClient(deps, authorization, params, { allowPublic: true, optional: true });
  // An unknown token_type_hint is ignored (§2.1): the token's own shape decides.
  const resolved = await resolveToken(deps, params.require('token'));
  if (!resolved) return done;
  const { record } = resolved;
  if (authenticated && authenticated.client.id !== record.clientId) return done;
  const now = deps.now();
  if (record.kind === 'refresh') await deps.stores.revokeFamily(record.familyId, now);
  else if (resolved.sealed) await deps.stores.revokeSubject(revocationSubject.token(record.jti), now, record.expiresAt);
  else await deps.stores.revokeToken(record.tokenHash, now);
  return done;
}
