/**
 * Every OAuth error the server emits, one entry each, grouped by code (node-oidc-provider's
 * error classes, fosite's `ErrX` values): `new OAuthError(errors.invalidGrant.codeInvalid, { detail })`.
 * A description with a part taken from the request is a function of that part. Where each entry
 * is emitted (page, redirect or JSON, and when) is listed in `errors-doc.ts`, which renders
 * `docs/errors.md`; a test fails when the doc or that list drifts from these entries.
 */
import { defaultStatus as STATUS, type OAuthErrorCode, type OAuthErrorEntry } from './errors.js';


const entry = (code: OAuthErrorCode, description: string, status = STATUS[code]): OAuthErrorEntry => ({ code, description, status });

/** An entry whose description is made from a part of the request (a parameter's name, a scope list). */
const template = <A extends Array<string | number>>(code: OAuthErrorCode, describe: (...parts: A) => string, status = STATUS[code]) =>
  // Keeps describe's arity, so the doc can fill every part with `…`.
  Object.defineProperty((...parts: A): OAuthErrorEntry => entry(code, describe(...parts), status), 'length', { value: describe.length });

export const errors = {
  invalidRequest: {
    duplicateParameter: template('invalid_request', (name: string) => `parameter ${name} was included more than once`),
    missingParameter: template('invalid_request', (name: string) => `missing required parameter ${name}`),
    /** `name` as printable text (core/params.ts): no control character reaches a page or a log. */
    controlCharacters: template('invalid_request', (name: string) => `parameter ${name} contains control characters`),
    urlControlCharacters: entry('invalid_request', 'the request URL contains control characters'),
    bodyNotForm: entry('invalid_request', 'the request body must be application/x-www-form-urlencoded'),
    formNotForm: entry('invalid_request', 'the form must be application/x-www-form-urlencoded'),
    bodyTooLarge: entry('invalid_request', 'the request body is too large'),
    formExpired: entry('invalid_request', 'the form has expired or did not come from this site; go back, reload and try again', 403),
    redirectUriRequired: entry('invalid_request', 'redirect_uri is required when the client has several registered'),
    redirectUriUnregistered: entry('invalid_request', 'redirect_uri does not match any URI registered for this client'),
    authorizationRequestTooLarge: template('invalid_request', (max: number | string) => `the authorization request is too large (at most ${max} characters of parameters)`),
    parameterTooLong: template('invalid_request', (name: string, limit: number | string) => `${name} is too long (at most ${limit} characters)`),
    codeChallengeRequired: entry('invalid_request', 'code_challenge is required (PKCE with S256)'),
    codeChallengeMethod: entry('invalid_request', 'code_challenge_method must be S256'),
    codeChallengeMalformed: entry('invalid_request', 'code_challenge must be the base64url SHA-256 of the code verifier (43 characters)'),
    unsupportedPrompt: template('invalid_request', (value: string) => `unsupported prompt value: ${value}`),
    promptNoneCombined: entry('invalid_request', 'prompt=none cannot be combined with other values'),
    maxAgeInvalid: entry('invalid_request', 'max_age must be a non-negative integer'),
    idTokenHintInvalid: entry('invalid_request', 'id_token_hint is not a valid ID token from this server'),
    interactionExpired: entry('invalid_request', 'this sign-in request has expired or was already completed; return to the app and start again'),
    decisionInvalid: entry('invalid_request', 'decision must be allow or deny'),
    redirectUriOmitted: entry('invalid_request', 'missing required parameter redirect_uri (the authorization request included it)'),
    severalAuthMethods: entry('invalid_request', 'client authentication must use only one method'),
    clientIdMismatch: entry('invalid_request', 'client_id in the body does not match the Authorization header'),
    secretWithoutClientId: entry('invalid_request', 'client_secret requires client_id'),
  },
  invalidClient: {
    unknownClient: entry('invalid_client', 'unknown client'),
    interactionClientGone: entry('invalid_client', 'the app for this sign-in request no longer exists'),
    authenticationFailed: entry('invalid_client', 'client authentication failed'),
    malformedBasic: entry('invalid_client', 'malformed HTTP Basic credentials'),
    basicControlCharacters: entry('invalid_client', 'malformed HTTP Basic credentials: client_id and client_secret must not contain control characters'),
  },
  invalidGrant: {
    codeInvalid: entry('invalid_grant', 'the authorization code is invalid, expired or already used'),
    codeVerifierMalformed: entry('invalid_grant', 'code_verifier must be 43–128 unreserved characters (RFC 7636 §4.1)'),
    redirectUriMismatch: entry('invalid_grant', 'redirect_uri does not match the one used in the authorization request'),
    codeVerifierMismatch: entry('invalid_grant', 'code_verifier does not match the code_challenge'),
    refreshTokenInvalid: entry('invalid_grant', 'the refresh token is invalid, expired or revoked'),
  },
  unauthorizedClient: {
    codeFlowNotAllowed: entry('unauthorized_client', 'this client is not allowed to use the authorization code flow'),
    grantNotAllowed: template('unauthorized_client', (grantType: string) => `this client is not allowed to use the ${grantType} grant`),
  },
  unsupportedGrantType: {
    unsupported: entry('unsupported_grant_type', 'grant_type is not supported by this server'),
  },
  unsupportedResponseType: {
    unsupported: entry('unsupported_response_type', 'response_type must be code or none'),
  },
  invalidScope: {
    required: entry('invalid_scope', 'scope is required'),
    offlineAccessAlone: entry('invalid_scope', 'offline_access alone is not a scope this client can use'),
    notAllowed: template('invalid_scope', (scopes: string) => `scope not allowed for this client: ${scopes}`),
    unknown: template('invalid_scope', (scopes: string) => `unknown scope: ${scopes}`),
    exceedsGrant: template('invalid_scope', (scopes: string) => `scope exceeds what was granted: ${scopes}`),
  },
  invalidTarget: {
    notAbsolute: entry('invalid_target', 'resource must be an absolute URI'),
    fragment: entry('invalid_target', 'resource must not contain a fragment'),
  },
  accessDenied: {
    notAMember: entry('access_denied', 'this app is internal to a workspace you do not belong to'),
    userDenied: entry('access_denied', 'the user denied the request'),
  },
  loginRequired: {
    signIn: entry('login_required', 'the user must sign in'),
  },
  consentRequired: {
    approve: entry('consent_required', 'the user must approve this app'),
  },
  invalidToken: {
    accessTokenRequired: entry('invalid_token', 'an access token is required'),
    accessTokenInvalid: entry('invalid_token', 'the access token is invalid, expired or revoked'),
    /** Token resources answer 400: the token is a parameter there, not the caller's credential. */
    tokenInvalid: entry('invalid_token', 'the token is invalid, expired or revoked', 400),
  },
  insufficientScope: {
    openidMissing: entry('insufficient_scope', 'the access token lacks the openid scope'),
  },
  serverError: {
    unexpected: entry('server_error', 'the server could not complete the request'),
  },
  notFound: {
    endpoint: entry('not_found', 'no such endpoint'),
    user: entry('not_found', 'no such user'),
  },
} as const;

/** The `{"error", "error_description"}` body of an entry, for answers written without an OAuthError. */
export const errorBody = (error: OAuthErrorEntry): { error: OAuthErrorCode; error_description: string } => ({ error: error.code, error_description: error.description });
