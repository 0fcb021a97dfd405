/** UserInfo endpoint (OpenID Connect Core §5.3); bearer token errors per RFC 6750 §3. */
import { claimsForScopes } from '../claims.js';
import type { CoreDeps } from '../deps.js';
import { OAuthError } from '../errors.js';
import type { EndpointResult } from '../result.js';
import { resolveToken } from '../tokens/resolve.js';

const challenge = (issuer: string, error?: string, description?: string): Record<string, string> => ({
  'WWW-Authenticate': `Bearer realm="${issuer}"` + (error ? `, error="${error}"` : '') + (description ? `, error_description="${description}"` : ''),
});

export async function userinfoEndpoint(deps: CoreDeps, token: string | undefined): Promise<EndpointResult> {
  const issuer = deps.config.issuer;
  if (!token) {
    throw new OAuthError('invalid_token', 'an access token is required', { status: 401, headers: challenge(issuer) });
  }
  const resolved = await resolveToken(deps, token, { withUser: true });
  const record = resolved?.kind === 'access' ? resolved.record : undefined;
  const user = resolved?.kind === 'access' ? resolved.user : undefined;
  if (!record || !user || user.disabledAt !== null) {
    const description = 'the access token is invalid, expired or revoked';
    throw new OAuthError('invalid_token', description, { status: 401, headers: challenge(issuer, 'invalid_token', description) });
  }
  if (!record.scopes.includes('openid')) {
    const description = 'the access token lacks the openid scope';
    throw new OAuthError('insufficient_scope', description, {
      status: 403,
      headers: { 'WWW-Authenticate': `Bearer realm="${issuer}", error="insufficient_scope", error_description="${description}", scope="openid"` },
    });
  }
  return { type: 'json', status: 200, body: { sub: user.id, ...claimsForScopes(deps, user, record.scopes) } };
}
