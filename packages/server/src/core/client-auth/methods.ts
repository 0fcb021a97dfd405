/**
 * The client authentication methods this server accepts (RFC 6749 §2.3, RFC 7591 §2
 * `token_endpoint_auth_method`), in the order discovery lists them (RFC 8414 §2). Client
 * authentication, registration, discovery, the console and the CLI read them from here.
 */

export const clientAuthMethods = [
  {
    name: 'client_secret_post',
    description: 'The app sends its client ID and secret in the body of the token request.',
    confidential: true,
  },
  {
    name: 'client_secret_basic',
    description: 'The app sends its client ID and secret with HTTP Basic authentication. Recommended for server-side apps.',
    confidential: true,
  },
  {
    name: 'none',
    description: 'A public client with no secret, for browser and native apps. PKCE protects the authorization code.',
    confidential: false,
  },
] as const satisfies ReadonlyArray<{ name: string; description: string; confidential: boolean }>;

export type TokenEndpointAuthMethod = (typeof clientAuthMethods)[number]['name'];

export const tokenEndpointAuthMethods: readonly TokenEndpointAuthMethod[] = clientAuthMethods.map((method) => method.name);

/** What a registration that names no `token_endpoint_auth_method` gets (the management API and the CLI). */
export const DEFAULT_AUTH_METHOD: TokenEndpointAuthMethod = 'client_secret_post';

/**
 * What the console's app form starts with and assumes when its field is missing: HTTP Basic,
 * which every server must support (RFC 6749 §2.3.1, where credentials in the body are NOT
 * RECOMMENDED). A choice offered to a person, unlike DEFAULT_AUTH_METHOD, which scripts rely on.
 */
export const RECOMMENDED_AUTH_METHOD: TokenEndpointAuthMethod = 'client_secret_basic';

/** A confidential client holds a secret (RFC 6749 §2.1); `none` is a public client. */
export const isConfidential = (method: TokenEndpointAuthMethod): boolean =>
  clientAuthMethods.find((entry) => entry.name === method)?.confidential ?? false;

/** Which clients an endpoint authenticates: `allowPublic` admits `none`; `optional` admits no client at all. */
export interface EndpointClientAuth {
  allowPublic: boolean;
  optional?: boolean;
}

/** Introspection: confidential clients only (RFC 7662 §2.1 requires authorization; a public client has no secret to prove it). */
export const INTROSPECTION_CLIENT_AUTH: EndpointClientAuth = { allowPublic: false };

/** Revocation: a public client revokes its own tokens, and holding a token is authority enough (RFC 7009 §2.1). */
export const REVOCATION_CLIENT_AUTH: EndpointClientAuth = { allowPublic: true, optional: true };

/** The methods an endpoint with these rules accepts, for its `*_auth_methods_supported` metadata (RFC 8414 §2). */
export const authMethodsAccepted = (rules: EndpointClientAuth): TokenEndpointAuthMethod[] =>
  clientAuthMethods.filter((method) => rules.allowPublic || method.confidential).map((method) => method.name);
