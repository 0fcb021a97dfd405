/**
 * Revocation (RFC 7009). With client authentication only the client's own tokens are revoked and
 * every other case still answers 200 (§2.2). Without it, holding the token is the authority: that
 * token is revoked and nothing else. Revoking a refresh token revokes its family, access tokens
 * included; revoking an access token revokes that token.
 *
 * Any refresh token of a family revokes it, even one rotation already replaced or one past its own
 * expiry: its successor may be in a thief's hands, and the holder of an old token ending the family
 * is what refresh token rotation is for (RFC 9700 §4.14.2). It still answers 200 (RFC 7009 §2.2).
 */
import { authenticateClient } from '../client-auth/authenticate.js';
import { REVOCATION_CLIENT_AUTH } from '../client-auth/methods.js';
import type { CoreDeps } from '../deps.js';
import type { Params } from '../params.js';
import type { EndpointResult } from '../result.js';
import { revocationSubject } from '../stores.js';
import { isWellFormedOpaque, sha256 } from '../tokens/opaque.js';
import { resolveToken } from '../tokens/resolve.js';

const done: EndpointResult = { type: 'empty', status: 200 };

export async function revocationEndpoint(deps: CoreDeps, authorization: string | undefined, params: Params): Promise<EndpointResult> {
  params.rejectDuplicates();
  const authenticated = await authenticateClient(deps, authorization, params, REVOCATION_CLIENT_AUTH);
  // An unknown token_type_hint is ignored (§2.1): the token's own shape decides.
  const value = params.require('token');
  if (isWellFormedOpaque(value, deps.config.prefixes.refreshToken)) {
    // Read as stored, rotated or not: the same one read resolveToken makes for a refresh token.
    const record = await deps.stores.findToken(sha256(value));
    if (!record || record.kind !== 'refresh' || record.revokedAt !== null) return done;
    if (authenticated && authenticated.client.id !== record.clientId) return done;
    await deps.stores.revokeFamily(record.familyId, deps.now());
    return done;
  }
  const resolved = await resolveToken(deps, value);
  if (!resolved) return done;
  const { record } = resolved;
  if (authenticated && authenticated.client.id !== record.clientId) return done;
  const now = deps.now();
  if (record.kind === 'refresh') await deps.stores.revokeFamily(record.familyId, now);
  else if (resolved.sealed) await deps.stores.revokeSubject(revocationSubject.token(record.jti), now, record.expiresAt);
  else await deps.stores.revokeToken(record.tokenHash, now);
  return done;
}
