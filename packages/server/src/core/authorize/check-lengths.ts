/**
 * Bounds on the authorization request. A request without a session is parked for 30 minutes
 * (authorize/interaction.ts), so everything it carries is bounded before anything is stored or looked up:
 * one limit per parameter, and a total over all of them. Failures are `invalid_request`
 * ("includes an invalid parameter value", RFC 6749 §4.1.2.1). Control characters are refused
 * here too (core/params.ts): no authorization parameter may contain one.
 */
import { errors } from '../error-catalogue.js';
import { OAuthError } from '../errors.js';
import type { Params } from '../params.js';

/** Characters over every name and value of the request: a parked request stays a few KB. */
export const MAX_AUTHORIZATION_REQUEST = 8 * 1024;

/**
 * Per parameter, in characters. `client_id` and `redirect_uri` have passed the checks before (a
 * known client, a registered URI of at most 2000 characters, or a loopback IP one on another
 * port: clients/loopback.ts).
 */
export const AUTHORIZATION_PARAMETER_LIMITS: Readonly<Record<string, number>> = {
  client_id: 200,
  redirect_uri: 2048,
  response_type: 32,
  scope: 2048,
  state: 2048,
  nonce: 512,
  code_challenge: 128,
  code_challenge_method: 16,
  prompt: 64,
  max_age: 16,
  login_hint: 256,
  id_token_hint: 4096,
  resource: 1024,
};

/** Any other parameter (`display`, `ui_locales`, `claims`, …): ignored (RFC 6749 §3.1), but bounded. */
export const OTHER_PARAMETER_LIMIT = 1024;

export const limitOf = (name: string): number => AUTHORIZATION_PARAMETER_LIMITS[name] ?? OTHER_PARAMETER_LIMIT;

/** True when the value of `name` can be echoed back (`state`): no control character and within its limit. */
export const withinLimits = (params: Params, name: string): boolean => !params.hasControlCharacters(name) && (params.get(name)?.length ?? 0) <= limitOf(name);

export function checkLengths(params: Params): void {
  params.rejectControlCharacters();
  if (params.size > MAX_AUTHORIZATION_REQUEST) {
    throw new OAuthError(errors.invalidRequest.authorizationRequestTooLarge(MAX_AUTHORIZATION_REQUEST));
  }
  for (const [name, value] of params.entries()) {
    const limit = limitOf(name);
    if (value.length > limit) throw new OAuthError(errors.invalidRequest.parameterTooLong(name.slice(0, 100), limit));
  }
}
