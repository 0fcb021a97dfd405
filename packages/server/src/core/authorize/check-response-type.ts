/** RFC 6749 §3.1.1; `none` per OAuth 2.0 Multiple Response Type Encoding Practices §4. */
import { errors } from '../error-catalogue.js';
import { OAuthError } from '../errors.js';
import type { Params } from '../params.js';
import type { AuthorizationRequest } from './request.js';

export function checkResponseType(params: Params): AuthorizationRequest['responseType'] {
  const value = params.get('response_type');
  if (value === undefined) throw new OAuthError(errors.invalidRequest.missingParameter('response_type'));
  if (value !== 'code' && value !== 'none') {
    throw new OAuthError(errors.unsupportedResponseType.unsupported);
  }
  return value;
}
