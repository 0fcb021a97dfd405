/**
 * Self-contained authorization codes: the code carries everything the token request is checked
 * against (client, redirect URI, PKCE challenge, nonce, scopes, workspaces, resource, session),
 * sealed like an access token (sealed.ts) under the same master key, with its own associated
 * data so that neither can pass for the other. Issuing a code writes nothing; its redemption
 * writes the one row that makes it single use (`CodeStore.redeemCode`). RFC 6749 §4.1.2 leaves
 * the code's format to the server; to the client it stays an opaque string.
 */
import type { AuthorizationCode } from '../model.js';
import { openBox, sealBox } from './sealed.js';

/** What a sealed code says about itself: a stored code's fields, less those only storage has. */
export type SealedCode = Omit<AuthorizationCode, 'codeHash' | 'usedAt'> & {
  /**
   * The authorization request carried `redirect_uri`, so the token request must too (RFC 6749
   * §4.1.3). False in codes sealed by earlier versions, which did not record it.
   */
  redirectUriRequired?: boolean;
};

type Payload = [string, string, string, string, string, string | null, string, string[], string | null, number, string | null, number, number, (0 | 1)?];

const associatedData = (prefix: string): Buffer => Buffer.from(`authorization_code ${prefix}`);

export function sealCode(masterKey: Buffer, prefix: string, code: SealedCode): string {
  const payload: Payload = [
    code.clientId,
    code.userId,
    code.grantId,
    code.redirectUri,
    code.codeChallenge,
    code.nonce,
    code.scopes.join(' '),
    code.workspaceIds,
    code.resource,
    code.authTime,
    code.sessionId,
    code.createdAt,
    code.expiresAt,
    code.redirectUriRequired ? 1 : 0,
  ];
  return sealBox(masterKey, prefix, associatedData(prefix), JSON.stringify(payload)).value;
}

/** The code's contents, or undefined when it is malformed, forged, not a code or sealed under another key. Expiry is the caller's check. */
export function openCode(masterKey: Buffer, prefix: string, value: string): SealedCode | undefined {
  const opened = openBox(masterKey, prefix, associatedData(prefix), value);
  if (!opened) return undefined;
  const [clientId, userId, grantId, redirectUri, codeChallenge, nonce, scope, workspaceIds, resource, authTime, sessionId, createdAt, expiresAt, redirectUriRequired] =
    JSON.parse(opened.plaintext) as Payload;
  return {
    clientId,
    userId,
    grantId,
    redirectUri,
    codeChallenge,
    nonce,
    scopes: scope === '' ? [] : scope.split(' '),
    workspaceIds,
    resource,
    authTime,
    sessionId,
    createdAt,
    expiresAt,
    redirectUriRequired: redirectUriRequired === 1,
  };
}
