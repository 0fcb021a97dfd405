/** UserInfo endpoint (OpenID Connect Core §5.3); bearer token errors per RFC 6750 §3. */
import { claimsForScopes } from '../claims.js';
import type { CoreDeps } from '../deps.js';
import { errors } from '../error-catalogue.js';
import { OAuthError } from '../errors.js';
import type { EndpointResult } from '../result.js';
import { resolveToken } from '../tokens/resolve.js';

const challenge = (issuer: string, error?: string, description?: string): Record<string, string> => ({
  'WWW-Authenticate': `Bearer realm="${issuer}"` + (error ? `, error="${error}"` : '') + (description ? `, error_description="${description}"` : ''),
});

export async function userinfoEndpoint(deps: CoreDeps, token: string | undefined): Promise<EndpointResult> {
  const issuer = deps.config.issuer;
  if (!token) {
    throw new OAuthError(errors.invalidToken.accessTokenRequired, { headers: challenge(issuer) });
  }
  const resolved = await resolveToken(deps, token, { withUser: true });
  const record = resolved?.kind === 'access' ? resolved.record : undefined;
  const user = resolved?.kind === 'access' ? resolved.user : undefined;
  if (!record || !user || user.disabledAt !== null) {
    const { code, description } = errors.invalidToken.accessTokenInvalid;
    throw new OAuthError(errors.invalidToken.accessTokenInvalid, { headers: challenge(issuer, code, description) });
  }
  if (!record.scopes.includes('openid')) {
    const { code, description } = errors.insufficientScope.openidMissing;
    throw new OAuthError(errors.insufficientScope.openidMissing, {
      headers: { 'WWW-Authenticate': `Bearer realm="${issuer}", error="${code}", error_description="${description}", scope="openid"` },
    });
  }
  return { type: 'json', status: 200, body: { sub: user.id, ...claimsForScopes(deps, user, record.scopes) } };
}
