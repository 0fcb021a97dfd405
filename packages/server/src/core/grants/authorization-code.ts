/**
 * `authorization_code` (RFC 6749 §4.1.3, RFC 7636 §4.5–4.6, OAuth 2.1 §4.1.3).
 * The code is sealed (tokens/sealed-code.ts) and redeemed by one atomic statement; a replay
 * revokes everything issued from it (RFC 6749 §4.1.2, RFC 9700 §4.2.4).
 */
import { createHash } from 'node:crypto';
import type { CoreDeps } from '../deps.js';
import { OAuthError } from '../errors.js';
import type { AuthorizationCode, Client } from '../model.js';
import type { Params } from '../params.js';
import type { GrantHolders } from '../stores.js';
import { openCode } from '../tokens/sealed-code.js';
import { isWellFormedOpaque, safeEqual, sha256 } from '../tokens/opaque.js';
import type { GrantHandler } from './grant.js';
import { grantContext, issueUserTokens, requireLiveGrant, shouldIssueRefreshToken } from './issue-tokens.js';

const VERIFIER = /^[A-Za-z0-9\-._~]{43,128}$/;

const invalidCode = (detail: string) => new OAuthError('invalid_grant', 'the authorization code is invalid, expired or already used', { detail });

export const authorizationCodeGrant: GrantHandler = {
  grantType: 'authorization_code',
  allowsPublicClients: true,

  async handle(deps: CoreDeps, client: Client, params: Params) {
    const code = params.require('code');
    const verifier = params.require('code_verifier');
    const redirectUri = params.get('redirect_uri');
    if (!VERIFIER.test(verifier)) throw new OAuthError('invalid_grant', 'code_verifier must be 43–128 unreserved characters (RFC 7636 §4.1)');

    const now = deps.now();
    const { code: stored, ...holders } = await redeem(deps, code, now);
    if (stored.expiresAt <= now) throw invalidCode('code expired');
    if (stored.clientId !== client.id) throw invalidCode('code was issued to another client');
    if (redirectUri !== undefined && redirectUri !== stored.redirectUri) {
      throw new OAuthError('invalid_grant', 'redirect_uri does not match the one used in the authorization request');
    }
    const challenge = createHash('sha256').update(verifier).digest('base64url');
    if (!safeEqual(challenge, stored.codeChallenge)) throw new OAuthError('invalid_grant', 'code_verifier does not match the code_challenge');

    const { user, grant } = requireLiveGrant(holders, invalidCode);

    const familyExpiresAt = now + deps.config.lifetimes.refreshFamily;
    const issued = await issueUserTokens(
      deps,
      {
        user,
        context: grantContext(client, user, grant, stored.codeHash, stored),
        accessScopes: stored.scopes,
        nonce: stored.nonce,
        familyExpiresAt,
        withRefreshToken: shouldIssueRefreshToken(client),
      },
      now,
    );
    await deps.stores.insertTokens(issued.records);
    // A replay or a consent revocation that arrived while we were issuing could not see these
    // tokens yet: look again now that they are stored.
    const recheck = await deps.stores.recheckRedemption(stored.codeHash, grant.id);
    if (recheck.replayed || !recheck.grantLive) {
      await deps.stores.revokeFamily(stored.codeHash, now);
      throw invalidCode(recheck.replayed ? 'code replayed while it was being redeemed; tokens issued from it were revoked' : 'consent was revoked');
    }
    return issued.response;
  },
};

/**
 * Marks the code used, whichever its format, and returns what it was issued with. A replay
 * revokes the tokens issued from it (their family is the code's hash) and fails.
 */
async function redeem(deps: CoreDeps, code: string, now: number): Promise<{ code: Omit<AuthorizationCode, 'usedAt'> } & GrantHolders> {
  const prefix = deps.config.prefixes.authorizationCode;
  const codeHash = sha256(code);
  const replayed = async (): Promise<never> => {
    await deps.stores.revokeFamily(codeHash, now);
    throw invalidCode('code replayed; tokens issued from it were revoked');
  };
  const sealed = openCode(deps.keys.sealingKey(), prefix, code);
  if (sealed) {
    const redeemed = await deps.stores.redeemCode({ codeHash, userId: sealed.userId, grantId: sealed.grantId, expiresAt: sealed.expiresAt }, now);
    if (redeemed.status === 'replayed') return replayed();
    return { code: { ...sealed, codeHash }, user: redeemed.user, grant: redeemed.grant };
  }
  // Stored codes are the format before sealing; they stay redeemable until they expire.
  if (!isWellFormedOpaque(code, prefix)) throw invalidCode('malformed or forged code');
  const consumed = await deps.stores.consumeCode(codeHash, now);
  if (consumed.status === 'not-found') throw invalidCode('unknown code');
  if (consumed.status === 'already-used') return replayed();
  return consumed;
}
