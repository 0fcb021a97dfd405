/**
 * `refresh_token` with rotation and reuse detection (RFC 6749 §6, OAuth 2.1 §4.3, RFC 9700 §4.14.2).
 *
 * Every use rotates the token. The winner of a race stores the successor refresh token sealed
 * under a key derived from the old token; within the grace window, a retry of the old token gets
 * that same successor back, with a fresh access token (and ID token): lost responses, two tabs,
 * parallel workers. After the window, a rotated-out token is a replay: the whole family is revoked.
 */
import type { CoreDeps } from '../deps.js';
import type { GrantHolders } from '../stores.js';
import { errors } from '../error-catalogue.js';
import { OAuthError } from '../errors.js';
import type { Client, Grant, TokenRecord } from '../model.js';
import { parseScope, type Params } from '../params.js';
import { admits, ownerWorkspaceToCheck } from '../authorize/visibility.js';
import { open, seal } from '../crypto/seal.js';
import { isWellFormedOpaque, sha256 } from '../tokens/opaque.js';
import type { GrantHandler, TokenResponse } from './grant.js';
import { grantContext, issueUserTokens, requireLiveGrant, type IssuedSet } from './issue-tokens.js';
import { noteGrantUse } from './note-use.js';

const SUCCESSOR_PURPOSE = 'refresh-successor';
const invalid = (detail: string) => new OAuthError(errors.invalidGrant.refreshTokenInvalid, { detail });

/**
 * The consent as it stands now is the ceiling (RFC 6749 §6: no scope "not originally granted by
 * the resource owner"; RFC 9700 §4.14): the refresh token's scopes and workspaces, less any the
 * grant no longer holds. A narrowed consent revokes the older tokens (`save-consent.ts`); this is
 * the defence behind it, at no cost, since the refresh reads the grant with its token anyway.
 * A token that reached workspaces and reaches none of them now is refused.
 */
function withinGrant(record: TokenRecord, grant: Grant): TokenRecord {
  const scopes = record.scopes.filter((scope) => grant.scopes.includes(scope));
  const workspaceIds = record.workspaceIds.filter((id) => grant.workspaceIds.includes(id));
  const nothingLeft = (record.scopes.length > 0 && scopes.length === 0) || (record.workspaceIds.length > 0 && workspaceIds.length === 0);
  if (nothingLeft) throw invalid('the consent no longer covers this refresh token');
  return scopes.length === record.scopes.length && workspaceIds.length === record.workspaceIds.length ? record : { ...record, scopes, workspaceIds };
}

/** RFC 6749 §6: the access token may be narrower than the refresh token, never wider. */
function accessScopesFor(params: Params, record: TokenRecord): string[] {
  const requested = parseScope(params.get('scope'));
  const widened = requested.filter((scope) => !record.scopes.includes(scope));
  if (widened.length > 0) throw new OAuthError(errors.invalidScope.exceedsGrant(widened.join(' ').slice(0, 200)));
  return requested.length > 0 ? requested : record.scopes;
}

type Found = { token: TokenRecord; memberOfWorkspace?: boolean } & GrantHolders;

/** The refresh token with its user and grant and, for an app internal to a workspace, the user's membership of it: one read. */
const findWithGrant = (deps: CoreDeps, client: Client, tokenHash: string): Promise<Found | undefined> =>
  deps.stores.findTokenWithGrant(tokenHash, { membershipOf: ownerWorkspaceToCheck(client) });

/**
 * Access token (and ID token) for the grant behind `found.token`, read with its user and grant; a
 * new refresh token of its family when `rotate`. An internal app admits its workspace's members
 * at every refresh, not only at authorization: a membership that ended ends the refreshes.
 */
async function issueFor(deps: CoreDeps, client: Client, params: Params, found: Found, now: number, rotate: boolean) {
  const { user, grant } = requireLiveGrant(found, invalid);
  if (!admits(client, user.id, found.memberOfWorkspace === true)) throw invalid('this app is internal to a workspace the user no longer belongs to');
  const record = withinGrant(found.token, grant);
  const accessScopes = accessScopesFor(params, record);
  const issued = await issueUserTokens(
    deps,
    {
      user,
      context: grantContext(client, user.id, grant.id, record.familyId, record),
      accessScopes,
      nonce: null,
      familyExpiresAt: record.familyExpiresAt ?? now + deps.config.lifetimes.refreshFamily,
      withRefreshToken: rotate,
    },
    now,
  );
  return { ...issued, grant };
}

/**
 * A retry within the grace window gets the successor the winner stored, if it is still live,
 * with a fresh access token (`fresh`, when the loser of a race already minted one), stored when it
 * is a JWT (RFC 9068: the server must know it to introspect or revoke it); a later one,
 * or one whose box does not open, revokes the family.
 */
async function answerRotated(
  deps: CoreDeps,
  client: Client,
  params: Params,
  presented: string,
  record: TokenRecord,
  now: number,
  fresh?: IssuedSet,
): Promise<TokenResponse> {
  const grace = deps.config.refreshGraceSeconds;
  if (record.rotatedAt !== null && record.successorBox && grace > 0 && now - record.rotatedAt <= grace) {
    const successorValue = open(record.successorBox, presented, SUCCESSOR_PURPOSE);
    const successor = successorValue ? await findWithGrant(deps, client, sha256(successorValue)) : undefined;
    if (successorValue && successor && successor.token.revokedAt === null) {
      const issued = fresh ?? (await issueFor(deps, client, params, successor, now, false));
      // A JWT access token is stored like the winner's, or it would be dead on arrival; only while
      // the successor is live, so a family revocation meanwhile reaches it. Sealed ones store nothing.
      const access = issued.records.filter((token) => token.kind === 'access');
      if (access.length > 0 && !(await deps.stores.insertTokensWhileLive(access, sha256(successorValue)))) {
        throw invalid('the token family was revoked');
      }
      return { ...issued.response, refresh_token: successorValue };
    }
  }
  await deps.stores.revokeFamily(record.familyId, now);
  throw invalid('refresh token reuse detected; the token family was revoked');
}

export const refreshTokenGrant: GrantHandler<'refresh_token'> = {
  grantType: 'refresh_token',
  description: 'The app can renew access without asking the user again.',
  allowsPublicClients: true,
  // Refresh tokens are issued with authorization codes only (RFC 6749 §4.4.3: never for client credentials).
  requiresGrantTypes: ['authorization_code'],

  async handle(deps: CoreDeps, client: Client, params: Params) {
    const presented = params.require('refresh_token');
    if (!isWellFormedOpaque(presented, deps.config.prefixes.refreshToken)) throw invalid('malformed refresh token');
    const now = deps.now();
    const tokenHash = sha256(presented);
    const found = await findWithGrant(deps, client, tokenHash);
    if (!found || found.token.kind !== 'refresh') throw invalid('unknown refresh token');
    const record = found.token;
    if (record.clientId !== client.id) throw invalid('refresh token was issued to another client');
    if (record.revokedAt !== null) throw invalid('refresh token revoked');
    if (record.expiresAt <= now || (record.familyExpiresAt !== null && record.familyExpiresAt <= now)) throw invalid('refresh token expired');
    if (record.rotatedAt !== null) return answerRotated(deps, client, params, presented, record, now);

    const { response, records, grant } = await issueFor(deps, client, params, found, now, true);
    // Only the successor refresh token is kept: a retry gets fresh access and ID tokens for it.
    const box = seal(response.refresh_token!, presented, SUCCESSOR_PURPOSE);
    const outcome = await deps.stores.rotateRefreshToken(tokenHash, records, box, now);
    if (outcome.status === 'rotated') {
      await noteGrantUse(deps, grant, now);
      return response;
    }
    if (outcome.token.revokedAt !== null) throw invalid('refresh token revoked');
    return answerRotated(deps, client, params, presented, outcome.token, now, { response, records });
  },
};
