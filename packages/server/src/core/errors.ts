/**
 * One error type for the whole protocol engine.
 *
 * The union holds the codes some feature emits (RFC 6749 §4.1.2.1, §5.2; RFC 6750 §3.1; OpenID
 * Connect Core §3.1.2.6; RFC 8707 §2), plus `not_found` for unknown paths; a feature that needs
 * another code (RFC 7591 §3.2.2, RFC 8628 §3.5) adds it with its catalogue entries.
 *
 * `description` is public and stable (it goes to clients as `error_description`);
 * `detail` is for logs only.
 */
export type OAuthErrorCode =
  | 'invalid_request'
  | 'invalid_client'
  | 'invalid_grant'
  | 'unauthorized_client'
  | 'unsupported_grant_type'
  | 'unsupported_response_type'
  | 'invalid_scope'
  | 'access_denied'
  | 'server_error'
  | 'login_required'
  | 'consent_required'
  | 'invalid_token'
  | 'insufficient_scope'
  | 'invalid_target'
  | 'not_found';

/** Each code's usual status; a catalogue entry may say otherwise. */
export const defaultStatus: Record<OAuthErrorCode, number> = {
  invalid_request: 400,
  invalid_client: 401,
  invalid_grant: 400,
  unauthorized_client: 400,
  unsupported_grant_type: 400,
  unsupported_response_type: 400,
  invalid_scope: 400,
  access_denied: 403,
  server_error: 500,
  login_required: 400,
  consent_required: 400,
  invalid_token: 401,
  insufficient_scope: 403,
  invalid_target: 400,
  not_found: 404,
};

/**
 * One error the server emits: its code, public description and status. The entries live in
 * `error-catalogue.ts`, which `docs/errors.md` is generated from; throw sites name an entry
 * instead of writing the text.
 */
export interface OAuthErrorEntry {
  readonly code: OAuthErrorCode;
  readonly description: string;
  readonly status: number;
}

export interface OAuthErrorOptions {
  /** Private detail for logs; never sent to the client. */
  detail?: string;
  status?: number;
  /** Extra response headers, e.g. `WWW-Authenticate`. */
  headers?: Record<string, string>;
}

export class OAuthError extends Error {
  readonly code: OAuthErrorCode;
  readonly description: string;
  readonly detail: string | undefined;
  readonly status: number;
  readonly headers: Record<string, string>;

  /** From a catalogue entry (`error-catalogue.ts`), or from a code and a description. */
  constructor(entry: OAuthErrorEntry, options?: OAuthErrorOptions);
  constructor(code: OAuthErrorCode, description: string, options?: OAuthErrorOptions);
  constructor(first: OAuthErrorEntry | OAuthErrorCode, second?: string | OAuthErrorOptions, third?: OAuthErrorOptions) {
    const entry: OAuthErrorEntry = typeof first === 'string' ? { code: first, description: second as string, status: defaultStatus[first] } : first;
    const options = (typeof first === 'string' ? third : (second as OAuthErrorOptions | undefined)) ?? {};
    super(`${entry.code}: ${entry.description}`);
    this.name = 'OAuthError';
    this.code = entry.code;
    this.description = entry.description;
    this.detail = options.detail;
    this.status = options.status ?? entry.status;
    this.headers = options.headers ?? {};
  }

  toJSON(): { error: OAuthErrorCode; error_description: string } {
    return { error: this.code, error_description: this.description };
  }
}

export const isOAuthError = (value: unknown): value is OAuthError => value instanceof OAuthError;

/**
 * An error about one input. `field` names it (RFC 7591 field names for clients) and `reason`
 * says what is wrong, without the name: a form shows it beside the field. The message, which
 * the CLI prints, is the reason alone, or `field: reason` when made with `named`.
 */
abstract class FieldError extends Error {
  readonly reason: string;
  protected constructor(readonly field: string, reason: string, named: boolean) {
    super(named ? `${field}: ${reason}` : reason);
    this.reason = reason;
  }
}

/** Thrown by stores and services when a unique value is already taken; `field` names it. */
export class ConflictError extends FieldError {
  constructor(field: string, reason: string, options: { named?: boolean } = {}) {
    super(field, reason, options.named ?? false);
    this.name = 'ConflictError';
  }

  /** The message names the field: `field: reason`. */
  static named(field: string, reason: string): ConflictError {
    return new ConflictError(field, reason, { named: true });
  }
}

/** A domain input failed validation. */
export class ValidationError extends FieldError {
  constructor(field: string, reason: string, options: { named?: boolean } = {}) {
    super(field, reason, options.named ?? false);
    this.name = 'ValidationError';
  }

  /** The message names the field: `field: reason`. */
  static named(field: string, reason: string): ValidationError {
    return new ValidationError(field, reason, { named: true });
  }
}

/** What a NotFoundError did not find; callers branch on it (a deleted client at the token endpoint is invalid_client). */
export type NotFoundSubject = 'client' | 'user' | 'workspace' | 'member' | 'grant' | 'scope' | 'token';

export class NotFoundError extends Error {
  constructor(readonly what: NotFoundSubject, message: string) {
    super(message);
    this.name = 'NotFoundError';
  }
}

/** The acting user may not do this (a workspace member managing owners, say); the message is shown as it is. */
export class ForbiddenError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ForbiddenError';
  }
}
