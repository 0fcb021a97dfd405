/** RFC 8707 §2: `resource` is an absolute URI without a fragment. */
import { errors } from '../error-catalogue.js';
import { OAuthError } from '../errors.js';
import type { Params } from '../params.js';

export function checkResource(params: Params): string | null {
  const value = params.get('resource');
  if (value === undefined) return null;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new OAuthError(errors.invalidTarget.notAbsolute);
  }
  if (url.hash) throw new OAuthError(errors.invalidTarget.fragment);
  return value;
}
