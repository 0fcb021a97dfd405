/** Standard claims released per scope (OpenID Connect Core §5.4), plus `created_at`, which clients of the `/oauth/v1` layout (the platform API layout Gatehouse also serves) expect. */
import type { CoreDeps } from './deps.js';
import type { User } from './model.js';

export function claimsForScopes(deps: CoreDeps, user: User, scopes: readonly string[]): Record<string, unknown> {
  const claims: Record<string, unknown> = {};
  if (scopes.includes('profile')) {
    claims.name = user.name ?? user.username;
    claims.nickname = user.name ?? user.username;
    claims.preferred_username = user.username;
    claims.picture = user.picture;
    claims.profile = `${deps.config.issuer}/users/${encodeURIComponent(user.username)}`;
    claims.created_at = user.createdAt;
    claims.updated_at = user.updatedAt;
  }
  if (scopes.includes('email') && user.email) {
    claims.email = user.email;
    claims.email_verified = user.emailVerified;
  }
  for (const [name, value] of Object.entries(claims)) if (value === null || value === undefined) delete claims[name];
  return claims;
}

export const supportedClaims = [
  'sub', 'iss', 'aud', 'exp', 'iat', 'auth_time', 'nonce', 'azp', 'at_hash', 'sid',
  'name', 'nickname', 'preferred_username', 'picture', 'profile', 'created_at', 'updated_at',
  'email', 'email_verified',
] as const;
