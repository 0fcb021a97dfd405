/** RFC 8707 §2: `resource` is an absolute URI without a fragment. */
import { OAuthError } from '../errors.js';
import type { Params } from '../params.js';

export function checkResource(params: Params): string | null {
  const value = params.get('resource');
  if (value === undefined) return null;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new OAuthError('invalid_target', 'resource must be an absolute URI');
  }
  if (url.hash) throw new OAuthError('invalid_target', 'resource must not contain a fragment');
  return value;
}
