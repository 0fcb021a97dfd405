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

/**
 * One grant type: its `grant_type` value, the rules a client registration must meet to hold it,
 * and the token request. Everything else (the token endpoint, discovery, registration, the
 * console, the CLI) reads these from `registry.ts`.
 */
export interface GrantHandler<T extends string = string> {
  grantType: T;
  /** One sentence for the console's app form: what the grant lets the app do. */
  description: string;
  /**
   * Public clients (`token_endpoint_auth_method` `none`) may use this grant, with PKCE for the
   * code grant. When false, the token endpoint requires client authentication and registration
   * refuses the grant to a public client (RFC 6749 §2.1, §4.4).
   */
  allowsPublicClients: boolean;
  /** Other grant types a client must hold to hold this one (registration refuses it alone). */
  requiresGrantTypes?: readonly string[];
  /**
   * The `response_type` that starts this grant at the authorization endpoint, for a grant with a
   * front channel: registration requires a redirect URI for it (RFC 6749 §3.1.2) and lists it in
   * `response_types` exactly when the client holds the grant (RFC 7591 §2.1).
   */
  responseType?: string;
  handle(deps: CoreDeps, client: Client, params: Params, options?: TokenRequestOptions): Promise<TokenResponse>;
}
