/** The token set for a user grant: access token, refresh token when the client may refresh, ID token when `openid` was granted. */
import type { CoreDeps } from '../deps.js';
import { isLiveGrant, type GrantHolders } from '../stores.js';
import type { OAuthError } from '../errors.js';
import type { Grant } from '../model.js';
import type { Client, TokenRecord, User } from '../model.js';
import { formatScope } from '../params.js';
import { accessTokenTtl, mintAccessToken, mintIdToken, mintRefreshToken, type TokenContext } from '../tokens/issue.js';
import type { TokenResponse } from './grant.js';

export interface IssuedSet {
  response: TokenResponse;
  /** The records to store (sealed access tokens have none). */
  records: TokenRecord[];
}

/** The user and consent behind a code or refresh token must still be live: a disabled user or revoked consent ends the grant. */
export function requireLiveGrant(holders: GrantHolders, invalid: (detail: string) => OAuthError): { user: User; grant: Grant } {
  if (isLiveGrant(holders)) return holders;
  throw invalid(!holders.user || holders.user.disabledAt !== null ? 'user is disabled or gone' : 'consent was revoked');
}

/** The context shared by a grant's tokens, from the code or refresh token they descend from. */
export function grantContext(
  client: Client,
  userId: string,
  grantId: string,
  familyId: string,
  from: Pick<TokenRecord, 'scopes' | 'workspaceIds' | 'resource' | 'authTime' | 'sessionId'>,
): TokenContext {
  const { scopes, workspaceIds, resource, authTime, sessionId } = from;
  return { client, userId, grantId, familyId, scopes, workspaceIds, resource, authTime, sessionId };
}

/** As platforms' app registration usually works: apps registered with the refresh_token grant always get one; otherwise `offline_access` is not available anyway. */
export const shouldIssueRefreshToken = (client: Client): boolean => client.grantTypes.includes('refresh_token');

/**
 * The access token and, when the client may refresh, the refresh token: everything but the ID
 * token needs only the grant's context, so a code's tokens are minted before the redemption that
 * stores them.
 */
export async function mintGrantTokens(
  deps: CoreDeps,
  input: {
    context: TokenContext;
    /** Scopes of the access token; may be narrower than the refresh token's (RFC 6749 §6). */
    accessScopes: string[];
    familyExpiresAt: number;
    withRefreshToken: boolean;
  },
  now: number,
): Promise<IssuedSet> {
  const access = await mintAccessToken(deps, { ...input.context, scopes: input.accessScopes }, now);
  const response: TokenResponse = {
    access_token: access.value,
    token_type: 'Bearer',
    expires_in: accessTokenTtl(deps, input.context.client),
    scope: formatScope(input.accessScopes),
  };
  const records = access.record ? [access.record] : [];
  if (input.withRefreshToken) {
    const refresh = mintRefreshToken(deps, input.context, now, input.familyExpiresAt);
    response.refresh_token = refresh.value;
    records.push(refresh.record);
  }
  return { response, records };
}

/** The response with the ID token when `openid` was granted (OpenID Connect Core §3.1.3.3); it carries the user's claims. */
export async function withIdToken(
  deps: CoreDeps,
  response: TokenResponse,
  input: { user: User; context: TokenContext; accessScopes: string[]; nonce: string | null },
  now: number,
): Promise<TokenResponse> {
  const { user, context, accessScopes, nonce } = input;
  if (!accessScopes.includes('openid')) return response;
  const idToken = await mintIdToken(
    deps,
    { client: context.client, user, scopes: accessScopes, nonce, authTime: context.authTime, sessionId: context.sessionId, accessToken: response.access_token },
    now,
  );
  return { ...response, id_token: idToken };
}

export async function issueUserTokens(
  deps: CoreDeps,
  input: {
    user: User;
    context: TokenContext;
    accessScopes: string[];
    nonce: string | null;
    familyExpiresAt: number;
    withRefreshToken: boolean;
  },
  now: number,
): Promise<IssuedSet> {
  const minted = await mintGrantTokens(deps, input, now);
  return { response: await withIdToken(deps, minted.response, input, now), records: minted.records };
}
