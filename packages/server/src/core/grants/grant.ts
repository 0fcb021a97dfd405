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

export interface GrantHandler {
  grantType: string;
  /** Public clients may use this grant (with PKCE for the code grant). */
  allowsPublicClients: boolean;
  handle(deps: CoreDeps, client: Client, params: Params): Promise<TokenResponse>;
}
