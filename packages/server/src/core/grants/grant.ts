/** The contract every grant type module fulfils (node-oidc-provider's shape). */
import type { CoreDeps } from '../deps.js';
import type { Client } from '../model.js';
import type { Params } from '../params.js';

/** RFC 6749 §5.1 */
export interface TokenResponse {
  access_token: string;
  token_type: 'Bearer';
  expires_in: number;
  scope: string;
  refresh_token?: string;
  id_token?: string;
}

/** What the HTTP layer says about a token request beside its parameters. */
export interface TokenRequestOptions {
  /**
   * The `/oauth/v1/*` path layout, kept compatible with the API it mirrors: a code may be
   * exchanged without repeating `redirect_uri` (a wrong one is still refused). On `/oauth/token`
   * it is required when the authorization request carried it (RFC 6749 §4.1.3).
   */
  redirectUriOptional?: boolean;
}

export interface GrantHandler {
  grantType: string;
  /** Public clients may use this grant (with PKCE for the code grant). */
  allowsPublicClients: boolean;
  handle(deps: CoreDeps, client: Client, params: Params, options?: TokenRequestOptions): Promise<TokenResponse>;
}
