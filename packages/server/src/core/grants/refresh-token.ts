/**
 * `refresh_token` with rotation and reuse detection (RFC 6749 §6, OAuth 2.1 §4.3, RFC 9700 §4.14.2).
 *
 * Every use rotates the token. The winner of a race stores its response sealed under a key derived
 * from the old token; within the grace window, a retry of the old token gets that same response
 * back (lost responses, two tabs, parallel workers). After the window, a rotated-out token is a
 * replay: the whole family is revoked.
 */
import type { CoreDeps } from '../deps.js';
import { OAuthError } from '../errors.js';
import type { Client, TokenRecord } from '../model.js';
import { parseScope, type Params } from '../params.js';
import { open, seal } from '../crypto/seal.js';
import { isWellFormedOpaque, sha256 } from '../tokens/opaque.js';
import type { GrantHandler, TokenResponse } from './grant.js';
import { issueUserTokens, requireLiveGrant } from './issue-tokens.js';
import { noteGrantUse } from './note-use.js';

const SUCCESSOR_PURPOSE = 'refresh-successor';
const invalid = (detail: string) => new OAuthError('invalid_grant', 'the refresh token is invalid, expired or revoked', { detail });

/** Replays within the grace window get the winner's response; later ones revoke the family. */
async function answerRotated(deps: CoreDeps, presented: string, record: TokenRecord, now: number): Promise<TokenResponse> {
  const grace = deps.config.refreshGraceSeconds;
  if (record.rotatedAt !== null && record.successorBox && grace > 0 && now - record.rotatedAt <= grace) {
    const opened = open(record.successorBox, presented, SUCCESSOR_PURPOSE);
    if (opened !== undefined) {
      const response = JSON.parse(opened) as TokenResponse;
      const successor = response.refresh_token ? await deps.stores.findToken(sha256(response.refresh_token)) : undefined;
      if (successor && successor.revokedAt === null) return response;
    }
  }
  await deps.stores.revokeFamily(record.familyId, now);
  throw invalid('refresh token reuse detected; the token family was revoked');
}

export const refreshTokenGrant: GrantHandler = {
  grantType: 'refresh_token',
  allowsPublicClients: true,

  async handle(deps: CoreDeps, client: Client, params: Params) {
    const presented = params.require('refresh_token');
    if (!isWellFormedOpaque(presented, deps.config.prefixes.refreshToken)) throw invalid('malformed refresh token');
    const now = deps.now();
    const tokenHash = sha256(presented);
    const record = await deps.stores.findToken(tokenHash);
    if (!record || record.kind !== 'refresh') throw invalid('unknown refresh token');
    if (record.clientId !== client.id) throw invalid('refresh token was issued to another client');
    if (record.revokedAt !== null) throw invalid('refresh token revoked');
    if (record.expiresAt <= now || (record.familyExpiresAt !== null && record.familyExpiresAt <= now)) throw invalid('refresh token expired');
    if (record.rotatedAt !== null) return answerRotated(deps, presented, record, now);

    const requested = parseScope(params.get('scope'));
    const widened = requested.filter((scope) => !record.scopes.includes(scope));
    if (widened.length > 0) throw new OAuthError('invalid_scope', `scope exceeds what was granted: ${widened.join(' ').slice(0, 200)}`);
    const accessScopes = requested.length > 0 ? requested : record.scopes;

    const { user, grant } = await requireLiveGrant(deps, record.userId, record.grantId, invalid);

    const issued = await issueUserTokens(
      deps,
      {
        user,
        context: {
          client,
          userId: user.id,
          grantId: grant.id,
          familyId: record.familyId,
          scopes: record.scopes,
          workspaceIds: record.workspaceIds,
          resource: record.resource,
          authTime: record.authTime,
          sessionId: record.sessionId,
        },
        accessScopes,
        nonce: null,
        familyExpiresAt: record.familyExpiresAt ?? now + deps.config.lifetimes.refreshFamily,
        withRefreshToken: true,
      },
      now,
    );
    const box = seal(JSON.stringify(issued.response), presented, SUCCESSOR_PURPOSE);
    const outcome = await deps.stores.rotateRefreshToken(tokenHash, issued.records, box, now);
    if (outcome.status === 'rotated') {
      await noteGrantUse(deps, grant, now);
      return issued.response;
    }
    if (outcome.token.revokedAt !== null) throw invalid('refresh token revoked');
    return answerRotated(deps, presented, outcome.token, now);
  },
};
