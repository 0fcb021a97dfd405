/**
 * Typed errors thrown by the SDK. Every error extends {@link GatehouseError} and carries a
 * machine-readable `code`, so callers can branch with `instanceof` or on `err.code`.
 */

/** Every `code` a {@link GatehouseError} can carry. */
export type GatehouseErrorCode =
  | 'oauth_error'
  | 'state_mismatch'
  | 'issuer_mismatch'
  | 'id_token_invalid'
  | 'invalid_token'
  | 'insufficient_scope'
  | 'unexpected_response'
  | 'refresh_unavailable'
  | 'token_revoked'
  | 'configuration';

/** Base class of every error the SDK throws on purpose. */
export class GatehouseError extends Error {
  readonly code: GatehouseErrorCode;
  constructor(code: GatehouseErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'GatehouseError';
    this.code = code;
  }
}

/** The endpoint an {@link OAuthError} came from. */
export type OAuthEndpoint =
  | 'authorization'
  | 'token'
  | 'userinfo'
  | 'introspection'
  | 'revocation'
  | 'resources';

/**
 * An error response from the authorization server: an authorization error response
 * (RFC 6749 §4.1.2.1, OpenID Connect Core §3.1.2.6) or an error response from a back-channel
 * endpoint (RFC 6749 §5.2, RFC 7009 §2.2.1, RFC 7662 §2.3, RFC 6750 §3.1).
 */
export class OAuthError extends GatehouseError {
  /** The server's error code, e.g. `invalid_grant`, `access_denied`. */
  readonly error: string;
  /** The server's `error_description`, or `''` when it sent none. */
  readonly description: string;
  /**
   * HTTP status of the response. For authorization responses (which arrive as a redirect)
   * this is the status the server would use for the same error: 403 for `access_denied`,
   * 500 for `server_error`, 503 for `temporarily_unavailable`, otherwise 400.
   */
  readonly status: number;
  /** The server's `error_uri`, when sent. */
  readonly uri: string | undefined;
  /** Which endpoint answered with the error. */
  readonly endpoint: OAuthEndpoint;

  constructor(init: { error: string; description?: string; status: number; uri?: string; endpoint: OAuthEndpoint }) {
    super('oauth_error', init.description ? `${init.error}: ${init.description}` : init.error);
    this.name = 'OAuthError';
    this.error = init.error;
    this.description = init.description ?? '';
    this.status = init.status;
    this.uri = init.uri;
    this.endpoint = init.endpoint;
  }
}

/**
 * The `state` in the authorization response does not match the one saved before the redirect
 * (RFC 6749 §10.12, RFC 9700 §4.7). Treat it as a possible CSRF / mix-up attempt.
 */
export class StateMismatchError extends GatehouseError {
  constructor(message = 'The state parameter of the authorization response does not match the saved state') {
    super('state_mismatch', message);
    this.name = 'StateMismatchError';
  }
}

/**
 * The `iss` of an authorization response (RFC 9207 §2.4) or of the discovery document
 * (OpenID Connect Discovery §4.3) is missing or differs from the configured issuer.
 */
export class IssuerMismatchError extends GatehouseError {
  readonly expected: string;
  readonly received: string | undefined;
  constructor(expected: string, received: string | undefined, message?: string) {
    super(
      'issuer_mismatch',
      message ??
        (received === undefined
          ? `The authorization response has no iss parameter; expected ${expected} (RFC 9207)`
          : `Issuer mismatch: expected ${expected}, received ${received}`),
    );
    this.name = 'IssuerMismatchError';
    this.expected = expected;
    this.received = received;
  }
}

/** Why an ID token was rejected (OpenID Connect Core §3.1.3.7). */
export type IdTokenErrorReason =
  | 'missing'
  | 'malformed'
  | 'signature'
  | 'algorithm'
  | 'issuer'
  | 'audience'
  | 'azp'
  | 'expired'
  | 'iat'
  | 'nonce'
  | 'auth_time'
  | 'at_hash'
  | 'subject';

/** The ID token failed validation (OpenID Connect Core §3.1.3.7, §12.2). */
export class IdTokenError extends GatehouseError {
  readonly reason: IdTokenErrorReason;
  constructor(reason: IdTokenErrorReason, message: string, options?: { cause?: unknown }) {
    super('id_token_invalid', message, options);
    this.name = 'IdTokenError';
    this.reason = reason;
  }
}

/**
 * The access token presented to a resource server is missing, malformed, expired, revoked or
 * otherwise invalid (RFC 6750 §3.1 `invalid_token`).
 */
export class InvalidTokenError extends GatehouseError {
  readonly description: string;
  constructor(description: string, options?: { cause?: unknown }) {
    super('invalid_token', description, options);
    this.name = 'InvalidTokenError';
    this.description = description;
  }
}

/** The access token is valid but lacks scopes the request needs (RFC 6750 §3.1 `insufficient_scope`). */
export class InsufficientScopeError extends GatehouseError {
  /** The scopes the request needs (all of them). */
  readonly required: string[];
  constructor(required: string[]) {
    super('insufficient_scope', `The access token lacks the required scope: ${required.join(' ')}`);
    this.name = 'InsufficientScopeError';
    this.required = required;
  }
}

/** The server answered with something that is not a valid protocol response (wrong status, not JSON, missing fields). */
export class UnexpectedResponseError extends GatehouseError {
  /** HTTP status, or 0 when the problem is not tied to a response status. */
  readonly status: number;
  constructor(message: string, status: number, options?: { cause?: unknown }) {
    super('unexpected_response', message, options);
    this.name = 'UnexpectedResponseError';
    this.status = status;
  }
}
