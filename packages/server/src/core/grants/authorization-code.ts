/**
 * `authorization_code` (RFC 6749 §4.1.3, RFC 7636 §4.5–4.6, OAuth 2.1 §4.1.3).
 * The code is sealed (tokens/sealed-code.ts). Its access and refresh tokens are minted first and
 * stored by the same atomic step that redeems it, so a replay, which revokes everything issued
 * from the code (RFC 6749 §4.1.2, RFC 9700 §4.2.4), always finds them.
 */
import { createHash } from 'node:crypto';
import type { CoreDeps } from '../deps.js';
import { errors } from '../error-catalogue.js';
import { OAuthError } from '../errors.js';
import type { AuthorizationCode, Client } from '../model.js';
import type { Params } from '../params.js';
import { openCode } from '../tokens/sealed-code.js';
import { safeEqual, sha256 } from '../tokens/opaque.js';
import type { GrantHandler, TokenRequestOptions } from './grant.js';
import { grantContext, mintGrantTokens, requireLiveGrant, shouldIssueRefreshToken, withIdToken } from './issue-tokens.js';

const VERIFIER = /^[A-Za-z0-9\-._~]{43,128}$/;

const invalidCode = (detail: string) => new OAuthError(errors.invalidGrant.codeInvalid, { detail });

/** Why this request may not have the code's tokens, in the order they are checked; undefined when it may. */
function refusal(
  client: Client,
  code: Pick<AuthorizationCode, 'expiresAt' | 'clientId' | 'redirectUri' | 'codeChallenge'>,
  redirectUri: string | undefined,
  verifier: string,
  now: number,
): OAuthError | undefined {
  if (code.expiresAt <= now) return invalidCode('code expired');
  if (code.clientId !== client.id) return invalidCode('code was issued to another client');
  if (redirectUri !== undefined && redirectUri !== code.redirectUri) {
    return new OAuthError(errors.invalidGrant.redirectUriMismatch);
  }
  const challenge = createHash('sha256').update(verifier).digest('base64url');
  if (!safeEqual(challenge, code.codeChallenge)) return new OAuthError(errors.invalidGrant.codeVerifierMismatch);
  return undefined;
}

/** A code used again: what was issued from it is revoked (its tokens' family is the code's hash). */
async function replayed(deps: CoreDeps, codeHash: string, now: number): Promise<never> {
  await deps.stores.revokeFamily(codeHash, now);
  throw invalidCode('code replayed; tokens issued from it were revoked');
}

export const authorizationCodeGrant: GrantHandler<'authorization_code'> = {
  grantType: 'authorization_code',
  description: 'Users sign in and approve the app (with PKCE).',
  allowsPublicClients: true,
  responseType: 'code',

  async handle(deps: CoreDeps, client: Client, params: Params, options: TokenRequestOptions = {}) {
    const code = params.require('code');
    const verifier = params.require('code_verifier');
    const redirectUri = params.get('redirect_uri');
    if (!VERIFIER.test(verifier)) throw new OAuthError(errors.invalidGrant.codeVerifierMalformed);

    const now = deps.now();
    const codeHash = sha256(code);
    const sealed = openCode(deps.keys.sealingKey(), deps.config.prefixes.authorizationCode, code);
    if (!sealed) throw invalidCode('malformed, forged or unknown code');

    // The code is burned whatever the checks say, so a wrong verifier cannot be retried against it.
    const refused = refusal(client, sealed, redirectUri, verifier, now);
    // RFC 6749 §4.1.3: redirect_uri is REQUIRED when the authorization request included it; a
    // missing required parameter is invalid_request (§5.2). Told only to a request that passes
    // every other check, and before the redemption, so the client may retry with it.
    if (!refused && redirectUri === undefined && sealed.redirectUriRequired && !options.redirectUriOptional) {
      throw new OAuthError(errors.invalidRequest.redirectUriOmitted);
    }
    const context = grantContext(client, sealed.userId, sealed.grantId, codeHash, sealed);
    const minted = refused
      ? undefined
      : await mintGrantTokens(
          deps,
          { context, accessScopes: sealed.scopes, familyExpiresAt: now + deps.config.lifetimes.refreshFamily, withRefreshToken: shouldIssueRefreshToken(client) },
          now,
        );
    const redemption = await deps.stores.redeemCode({ codeHash, userId: sealed.userId, grantId: sealed.grantId, expiresAt: sealed.expiresAt }, now, minted?.records);
    if (redemption.status === 'replayed') return replayed(deps, codeHash, now);
    if (refused) throw refused;
    // Not live: nothing was stored.
    const { user } = requireLiveGrant(redemption, invalidCode);
    return withIdToken(deps, minted!.response, { user, context, accessScopes: sealed.scopes, nonce: sealed.nonce }, now);
  },
};
