/**
 * PKCE is required for every client (OAuth 2.1 §4.1.1, RFC 9700 §2.1.1), and only S256 is
 * accepted: `plain` offers no protection when the request leaks (RFC 7636 §4.2).
 */
import { errors } from '../error-catalogue.js';
import { OAuthError } from '../errors.js';
import type { Params } from '../params.js';

const CHALLENGE = /^[A-Za-z0-9_-]{43}$/;

export function checkPkce(params: Params, responseType: 'code' | 'none'): string | null {
  const challenge = params.get('code_challenge');
  const method = params.get('code_challenge_method');
  if (responseType === 'none' && challenge === undefined) return null;
  if (challenge === undefined) throw new OAuthError(errors.invalidRequest.codeChallengeRequired);
  if (method !== 'S256') {
    throw new OAuthError(errors.invalidRequest.codeChallengeMethod);
  }
  if (!CHALLENGE.test(challenge)) {
    throw new OAuthError(errors.invalidRequest.codeChallengeMalformed);
  }
  return challenge;
}
