/** The token set for a user grant: access token, refresh token when the client may refresh, ID token when `openid` was granted. */
import type { CoreDeps } from '../deps.js';
import type { GrantHolders } from '../stores.js';
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
  const { user, grant } = holders;
  if (!user || user.disabledAt !== null) throw invalid('user is disabled or gone');
  if (!grant || grant.revokedAt !== null) throw invalid('consent was revoked');
  return { user, grant };
}

/** The context shared by a grant's tokens, from the code or refresh token they descend from. */
export function grantContext(
  client: Client,
  user: User,
  grant: Grant,
  familyId: string,
  from: Pick<TokenRecord, 'scopes' | 'workspaceIds' | 'resource' | 'authTime' | 'sessionId'>,
): TokenContext {
  const { scopes, workspaceIds, resource, authTime, sessionId } = from;
  return { client, userId: user.id, grantId: grant.id, familyId, scopes, workspaceIds, resource, authTime, sessionId };
}

/** Seed 000: apps registered with the refresh_token grant always get one; otherwise `offline_access` is not available anyway. */
export const shouldIssueRefreshToken = (client: Client): boolean => client.grantTypes.includes('refresh_token');

export async function issueUserTokens(
  deps: CoreDeps,
  input: {
    user: User;
    context: TokenContext;
    /** Scopes of the access token; may be narrower than the refresh token's (RFC 6749 §6). */
    accessScopes: string[];
    nonce: string | null;
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
  if (input.accessScopes.includes('openid')) {
    response.id_token = await mintIdToken(
      deps,
      {
        client: input.context.client,
        user: input.user,
        scopes: input.accessScopes,
        nonce: input.nonce,
        authTime: input.context.authTime,
        sessionId: input.context.sessionId,
        accessToken: access.value,
      },
      now,
    );
  }
  return { response, records };
}
