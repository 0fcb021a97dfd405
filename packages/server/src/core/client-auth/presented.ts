/**
 * Which client authentication the request presents (RFC 6749 §2.3). A request may use only one
 * method; the client may use only the method it registered (RFC 7591 §2).
 */
import { errors } from '../error-catalogue.js';
import { OAuthError } from '../errors.js';
import type { TokenEndpointAuthMethod } from '../model.js';
import { hasControlCharacters, type Params } from '../params.js';

export interface PresentedCredentials {
  method: TokenEndpointAuthMethod;
  clientId: string;
  clientSecret?: string;
}

/** RFC 6749 §2.3.1: id and secret are form-encoded before Basic encoding. */
function parseBasic(header: string, realm: string): { clientId: string; clientSecret: string } {
  const encoded = header.slice(6).trim();
  const decoded = Buffer.from(encoded, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0 || !/^[A-Za-z0-9+/=]+$/.test(encoded)) {
    throw new OAuthError(errors.invalidClient.malformedBasic, basicChallenge(realm));
  }
  let credentials: { clientId: string; clientSecret: string };
  try {
    const decode = (part: string) => decodeURIComponent(part.replace(/\+/g, ' '));
    credentials = { clientId: decode(decoded.slice(0, colon)), clientSecret: decode(decoded.slice(colon + 1)) };
  } catch {
    throw new OAuthError(errors.invalidClient.malformedBasic, basicChallenge(realm));
  }
  // Like a form parameter (core/params.ts): a control character is refused before any lookup.
  if (hasControlCharacters(credentials.clientId) || hasControlCharacters(credentials.clientSecret)) {
    throw new OAuthError(errors.invalidClient.basicControlCharacters, basicChallenge(realm));
  }
  return credentials;
}

export const basicChallenge = (realm: string) => ({ headers: { 'WWW-Authenticate': `Basic realm="${realm}"` } });

/** Returns undefined when the request carries no client identification at all. */
export function presentedCredentials(authorization: string | undefined, params: Params, realm: string): PresentedCredentials | undefined {
  params.rejectDuplicates(['client_id', 'client_secret']);
  const bodyId = params.get('client_id');
  const bodySecret = params.get('client_secret');
  if (authorization && /^basic /i.test(authorization)) {
    if (bodySecret !== undefined) {
      throw new OAuthError(errors.invalidRequest.severalAuthMethods);
    }
    const { clientId, clientSecret } = parseBasic(authorization, realm);
    if (bodyId !== undefined && bodyId !== clientId) {
      throw new OAuthError(errors.invalidRequest.clientIdMismatch);
    }
    return { method: 'client_secret_basic', clientId, clientSecret };
  }
  if (bodyId === undefined) {
    if (bodySecret !== undefined) throw new OAuthError(errors.invalidRequest.secretWithoutClientId);
    return undefined;
  }
  if (bodySecret !== undefined) return { method: 'client_secret_post', clientId: bodyId, clientSecret: bodySecret };
  return { method: 'none', clientId: bodyId };
}
