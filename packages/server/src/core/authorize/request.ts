/** The validated authorization request (RFC 6749 §4.1.1, RFC 7636 §4.3, OpenID Connect Core §3.1.2.1). */
import type { Prompt } from './check-prompt.js';

/** The prompt values are listed once, in check-prompt.ts. */
export type { Prompt };

export interface AuthorizationRequest {
  clientId: string;
  redirectUri: string;
  /**
   * The request carried `redirect_uri` (rather than relying on the only registered one): the
   * token request must then repeat it (RFC 6749 §4.1.3). Absent in requests parked by earlier versions.
   */
  redirectUriSent?: boolean;
  responseType: 'code' | 'none';
  scopes: string[];
  state: string | null;
  nonce: string | null;
  codeChallenge: string | null;
  prompt: Prompt[];
  maxAge: number | null;
  loginHint: string | null;
  idTokenHintSubject: string | null;
  resource: string | null;
}

/** Scratch state the checks fill in, top to bottom. */
export interface AuthorizationDraft extends Partial<AuthorizationRequest> {
  clientId: string;
  redirectUri: string;
}
