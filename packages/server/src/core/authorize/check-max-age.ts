/** OpenID Connect Core §3.1.2.1: `max_age` is a non-negative number of seconds. */
import { errors } from '../error-catalogue.js';
import { OAuthError } from '../errors.js';
import type { Params } from '../params.js';

export function checkMaxAge(params: Params): number | null {
  const value = params.get('max_age');
  if (value === undefined) return null;
  if (!/^\d{1,10}$/.test(value)) throw new OAuthError(errors.invalidRequest.maxAgeInvalid);
  return Number(value);
}
