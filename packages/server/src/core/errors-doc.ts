/**
 * Where each catalogue entry (`error-catalogue.ts`) is emitted, endpoint by endpoint, and the
 * renderer of `docs/errors.md` from it (`node scripts/errors-doc.mjs` writes the file). The test
 * beside it fails when the committed doc differs from the rendering, or when an entry is listed
 * nowhere here.
 */
import { AUTHORIZATION_PARAMETER_LIMITS, MAX_AUTHORIZATION_REQUEST, OTHER_PARAMETER_LIMIT } from './authorize/check-lengths.js';
import { errors } from './error-catalogue.js';
import type { OAuthErrorEntry } from './errors.js';

type Catalogue = typeof errors;
/** `group.name` of every entry, e.g. `invalidGrant.codeInvalid`. */
export type EntryPath = { [G in keyof Catalogue]: `${G & string}.${keyof Catalogue[G] & string}` }[keyof Catalogue];

export type Delivery = 'page' | 'redirect' | 'json';

export interface EmittedAt {
  entry: EntryPath;
  /** The parts of a templated description; `…` for each one left out. */
  args?: Array<string | number>;
  delivery: Delivery;
  /** The status when it differs from what the delivery implies (a page is 400, JSON the entry's status). */
  status?: number;
  when?: string;
}

export interface Section {
  title: string;
  intro?: string;
  rows: EmittedAt[];
  outro?: string;
}

const limits = [
  ...Object.entries(AUTHORIZATION_PARAMETER_LIMITS).map(([name, limit]) => `\`${name}\` ${limit}`),
  `any other parameter ${OTHER_PARAMETER_LIMIT}`,
].join(', ');

export const errorSections: Section[] = [
  {
    title: 'Authorization endpoint',
    intro:
      '`GET|POST /oauth/authorize`. Checks run in this order; the first failure answers. Until the client and its\n' +
      'redirect URI are trusted, errors are shown on the error page; after that they are redirected to the client.',
    rows: [
      { entry: 'invalidRequest.duplicateParameter', args: ['client_id'], delivery: 'page' },
      { entry: 'invalidRequest.missingParameter', args: ['client_id'], delivery: 'page' },
      { entry: 'invalidRequest.controlCharacters', args: ['client_id'], delivery: 'page', when: 'C0 (U+0000–U+001F), DEL or C1 (U+0080–U+009F)' },
      { entry: 'invalidClient.unknownClient', delivery: 'page' },
      { entry: 'invalidRequest.duplicateParameter', args: ['redirect_uri'], delivery: 'page' },
      { entry: 'invalidRequest.controlCharacters', args: ['redirect_uri'], delivery: 'page' },
      { entry: 'invalidRequest.redirectUriRequired', delivery: 'page' },
      { entry: 'invalidRequest.redirectUriUnregistered', delivery: 'page' },
      { entry: 'invalidRequest.duplicateParameter', delivery: 'redirect', when: 'any other parameter repeated (so `resource` at most once)' },
      { entry: 'invalidRequest.controlCharacters', delivery: 'redirect', when: 'any other parameter; a refused `state` is not echoed' },
      { entry: 'invalidRequest.authorizationRequestTooLarge', args: [MAX_AUTHORIZATION_REQUEST], delivery: 'redirect', when: 'all names and values together' },
      { entry: 'invalidRequest.parameterTooLong', delivery: 'redirect', when: `per parameter: ${limits}; a refused \`state\` is not echoed` },
      { entry: 'unauthorizedClient.codeFlowNotAllowed', delivery: 'redirect', when: 'client lacks the `authorization_code` grant' },
      { entry: 'invalidRequest.missingParameter', args: ['response_type'], delivery: 'redirect' },
      { entry: 'unsupportedResponseType.unsupported', delivery: 'redirect' },
      { entry: 'invalidScope.required', delivery: 'redirect' },
      {
        entry: 'invalidScope.offlineAccessAlone',
        delivery: 'redirect',
        when: '`offline_access` was the only scope, and is ignored (no `refresh_token` grant, or `response_type=none`; OIDC Core §11)',
      },
      { entry: 'invalidScope.notAllowed', delivery: 'redirect' },
      { entry: 'invalidScope.unknown', delivery: 'redirect' },
      { entry: 'invalidRequest.codeChallengeRequired', delivery: 'redirect' },
      { entry: 'invalidRequest.codeChallengeMethod', delivery: 'redirect' },
      { entry: 'invalidRequest.codeChallengeMalformed', delivery: 'redirect' },
      { entry: 'invalidRequest.unsupportedPrompt', delivery: 'redirect' },
      { entry: 'invalidRequest.promptNoneCombined', delivery: 'redirect' },
      { entry: 'invalidRequest.maxAgeInvalid', delivery: 'redirect' },
      { entry: 'invalidRequest.idTokenHintInvalid', delivery: 'redirect' },
      { entry: 'invalidTarget.notAbsolute', delivery: 'redirect', when: 'RFC 8707' },
      { entry: 'invalidTarget.fragment', delivery: 'redirect' },
      { entry: 'accessDenied.notAMember', delivery: 'redirect', when: '`internal` app, user not a member' },
      { entry: 'loginRequired.signIn', delivery: 'redirect', when: '`prompt=none`' },
      { entry: 'consentRequired.approve', delivery: 'redirect', when: '`prompt=none`' },
      { entry: 'invalidRequest.bodyNotForm', delivery: 'page', when: 'POST with another body type' },
      { entry: 'invalidRequest.bodyTooLarge', delivery: 'page', when: 'POST body over 64 KiB' },
    ],
    outro: 'Redirects are `302` (GET) or `303` (POST).',
  },
  {
    title: 'Sign-in, account and consent pages',
    intro: '`/interaction/{id}`, `/interaction/{id}/login`, `/interaction/{id}/consent`,\n`/interaction/{id}/select-account`.',
    rows: [
      { entry: 'invalidRequest.interactionExpired', delivery: 'page', when: 'after 30 minutes, or reused' },
      { entry: 'invalidClient.interactionClientGone', delivery: 'page', when: 'client deleted meanwhile' },
      { entry: 'invalidRequest.decisionInvalid', delivery: 'page' },
      { entry: 'invalidRequest.formExpired', delivery: 'page', status: 403, when: 'CSRF check failed' },
      { entry: 'invalidRequest.formNotForm', delivery: 'page' },
      { entry: 'invalidRequest.bodyTooLarge', delivery: 'page' },
      { entry: 'invalidRequest.controlCharacters', delivery: 'page', when: 'any form field' },
      { entry: 'accessDenied.userDenied', delivery: 'redirect', when: 'user chose Deny' },
      { entry: 'accessDenied.notAMember', delivery: 'redirect' },
    ],
    outro:
      'A wrong password re-renders the sign-in page with status 401 ("Incorrect username or\n' +
      'password."), and so does an attempt the sign-in throttle holds back ("Too many failed attempts.\n' +
      'Try again in N seconds.", see [configuration](configuration.md#sign-in-throttling)); a missing workspace choice re-renders the consent page with status 400. Neither\n' +
      'is an OAuth error.',
  },
  {
    title: 'Client authentication',
    intro: 'Token, introspection, token resources and revocation endpoints. JSON.',
    rows: [
      {
        entry: 'invalidClient.authenticationFailed',
        delivery: 'json',
        when:
          'no credentials (where required), unknown client, method other than the registered one, wrong or expired secret, public client at introspection, client deleted during the request. ' +
          'With `WWW-Authenticate: Basic realm="<issuer>"` when the Authorization header was used.',
      },
      { entry: 'invalidClient.malformedBasic', delivery: 'json', when: 'with `WWW-Authenticate: Basic realm="<issuer>"`' },
      {
        entry: 'invalidClient.basicControlCharacters',
        delivery: 'json',
        when: 'after form-decoding the Basic credentials; with `WWW-Authenticate: Basic realm="<issuer>"`',
      },
      { entry: 'invalidRequest.severalAuthMethods', delivery: 'json', when: 'Basic header and `client_secret` in the body' },
      { entry: 'invalidRequest.clientIdMismatch', delivery: 'json' },
      { entry: 'invalidRequest.secretWithoutClientId', delivery: 'json' },
      { entry: 'invalidRequest.duplicateParameter', args: ['client_id'], delivery: 'json', when: 'or `client_secret`' },
    ],
  },
  {
    title: 'Token endpoint',
    intro: '`POST /oauth/token`. JSON.',
    rows: [
      { entry: 'invalidRequest.bodyNotForm', delivery: 'json' },
      { entry: 'invalidRequest.bodyTooLarge', delivery: 'json', when: 'over 64 KiB' },
      { entry: 'invalidRequest.duplicateParameter', delivery: 'json' },
      { entry: 'invalidRequest.controlCharacters', delivery: 'json', when: 'any parameter (also at introspection, token resources, revocation and userinfo)' },
      { entry: 'invalidRequest.missingParameter', delivery: 'json', when: '`grant_type`, `code`, `code_verifier`, `refresh_token`' },
      {
        entry: 'invalidRequest.redirectUriOmitted',
        delivery: 'json',
        when: '`/oauth/token` only (RFC 6749 §4.1.3); the code is not used up, so the request can be repeated with it. `/oauth/v1/token` accepts the request without it',
      },
      { entry: 'unsupportedGrantType.unsupported', delivery: 'json', when: 'checked before client authentication' },
      { entry: 'unauthorizedClient.grantNotAllowed', delivery: 'json', when: 'grant not registered for the client' },
      {
        entry: 'invalidGrant.codeInvalid',
        delivery: 'json',
        when: 'malformed, unknown, expired, replayed (its tokens are then revoked), issued to another client, user disabled, consent revoked',
      },
      { entry: 'invalidGrant.codeVerifierMalformed', delivery: 'json' },
      { entry: 'invalidGrant.redirectUriMismatch', delivery: 'json' },
      { entry: 'invalidGrant.codeVerifierMismatch', delivery: 'json' },
      {
        entry: 'invalidGrant.refreshTokenInvalid',
        delivery: 'json',
        when:
          "malformed, unknown, another client's, revoked, expired, family expired, reused after the grace period (the family is then revoked), user disabled, consent revoked, " +
          'user no longer a member of the workspace owning an internal app, consent narrowed so that nothing of the token is left',
      },
      { entry: 'invalidScope.exceedsGrant', delivery: 'json', when: 'refresh with a wider `scope`' },
      { entry: 'invalidScope.notAllowed', delivery: 'json', when: 'client credentials' },
    ],
  },
  {
    title: 'UserInfo',
    intro: '`GET|POST /oauth/userinfo`. JSON with `WWW-Authenticate` (RFC 6750 §3).',
    rows: [
      { entry: 'invalidToken.accessTokenRequired', delivery: 'json', when: 'no token; header `Bearer realm="<issuer>"`' },
      {
        entry: 'invalidToken.accessTokenInvalid',
        delivery: 'json',
        when: 'also refresh tokens, client credentials tokens, disabled users; header `Bearer realm="<issuer>", error="invalid_token", error_description="…"`',
      },
      { entry: 'insufficientScope.openidMissing', delivery: 'json', when: 'header includes `scope="openid"`' },
      { entry: 'invalidRequest.bodyTooLarge', delivery: 'json', when: 'POST only' },
    ],
  },
  {
    title: 'Introspection, token resources, revocation, validate',
    rows: [
      { entry: 'invalidRequest.missingParameter', args: ['token'], delivery: 'json', when: 'introspect, token resources, revoke' },
      { entry: 'invalidRequest.duplicateParameter', delivery: 'json', when: 'introspect, token resources, revoke' },
      { entry: 'invalidRequest.bodyNotForm', delivery: 'json', when: 'introspect, token resources, revoke' },
      { entry: 'invalidToken.tokenInvalid', delivery: 'json', when: 'token resources' },
    ],
    outro:
      'Introspection answers `{"active":false}` for any dead token, revocation answers `200` for any\n' +
      'token it will not or need not revoke, and validate always answers `200`: none of them is an\n' +
      'error.',
  },
  {
    title: 'Anywhere',
    rows: [
      { entry: 'notFound.endpoint', delivery: 'json', when: 'unknown path (without `Cache-Control: no-store`)' },
      { entry: 'notFound.user', delivery: 'json', when: '`/users/{username}`: unknown or disabled user (without `Cache-Control: no-store`)' },
      {
        entry: 'invalidRequest.controlCharacters',
        delivery: 'page',
        when:
          "a console form (account, developer, admin); only the app form's text areas (`description`, `redirect_uris`) may hold tab and line breaks. " +
          'The sign-in, sign-up and first-run setup forms are shown again instead, with "This field contains characters that are not allowed (control characters)." ' +
          '(sign-in: "The username or password contains …"); the developer app form is shown again with this description beside the field ' +
          '(a field the form does not show, or an app the user does not manage, gets the page)',
      },
      {
        entry: 'invalidRequest.urlControlCharacters',
        delivery: 'json',
        when:
          "a control character, percent-encoded or raw, in the path or query of any URL but the authorization endpoint's (whose parameters are checked as above); " +
          'JSON on API paths, the error page (400) elsewhere',
      },
      { entry: 'serverError.unexpected', delivery: 'json', when: 'unexpected failure (logged with details)' },
    ],
  },
];

const ANY = '…';

/** The entry at `path`, a template's description made with `args` (or `…` for every part). */
export function resolveEntry(path: EntryPath, args?: Array<string | number>): OAuthErrorEntry {
  const [group, name] = path.split('.') as [keyof Catalogue, string];
  const value = (errors[group] as Record<string, OAuthErrorEntry | ((...parts: Array<string | number>) => OAuthErrorEntry)>)[name];
  if (value === undefined) throw new Error(`no catalogue entry ${path}`);
  if (typeof value !== 'function') return value;
  return value(...(args ?? Array.from({ length: value.length }, () => ANY)));
}

/** Every `group.name` in the catalogue. */
export const catalogueEntries = (): EntryPath[] =>
  Object.entries(errors).flatMap(([group, entries]) => Object.keys(entries).map((name) => `${group}.${name}` as EntryPath));

const statusOf = (row: EmittedAt, entry: OAuthErrorEntry): string => {
  if (row.status !== undefined) return String(row.status);
  if (row.delivery === 'redirect') return '—';
  if (row.delivery === 'page') return String(entry.status >= 500 ? entry.status : 400);
  return String(entry.status);
};

const cell = (text: string): string => text.replace(/\|/g, '\\|');

/** docs/errors.md, as generated from the catalogue and `errorSections`. */
export function renderErrorsDoc(): string {
  const out: string[] = [
    '# Errors',
    '',
    '<!-- Generated from packages/server/src/core/error-catalogue.ts and errors-doc.ts by `node scripts/errors-doc.mjs`; edit those, not this file. -->',
    '',
    'Every OAuth error has a stable `error` code and a public `error_description` (below, exactly',
    'as sent; `…` marks a part filled in from the request). Private details go to the server log',
    'only. Errors reach the caller in one of three ways:',
    '',
    '- **JSON**: `{"error": "…", "error_description": "…"}` with `Cache-Control: no-store`',
    '  (RFC 6749 §5.2, RFC 6750 §3, RFC 7009 §2.2.1).',
    '- **Redirect**: the browser is sent to the client\'s redirect URI with `error`,',
    '  `error_description`, `state` (when sent) and `iss` in the query (RFC 6749 §4.1.2.1, RFC 9207).',
    "- **Page**: Gatehouse's HTML error page shows the description and the code (also in",
    '  `data-oauth-error` on `<main>`). Used when the redirect URI cannot be trusted, or the',
    '  request belongs to no client any more.',
  ];
  for (const section of errorSections) {
    out.push('', `## ${section.title}`, '');
    if (section.intro) out.push(section.intro, '');
    out.push('| Code | Status | Delivery | `error_description` | When |', '|---|---|---|---|---|');
    for (const row of section.rows) {
      const entry = resolveEntry(row.entry, row.args);
      const when = row.when ? ` ${cell(row.when)} ` : ' ';
      out.push(`| \`${entry.code}\` | ${statusOf(row, entry)} | ${row.delivery} | \`${cell(entry.description)}\` |${when}|`);
    }
    if (section.outro) out.push('', section.outro);
  }
  out.push(
    '',
    'Error codes of OAuth and OpenID Connect that no feature emits today are not in the vocabulary',
    '(`OAuthErrorCode`): `interaction_required` and `account_selection_required` (`prompt=none` cannot',
    'be combined with `select_account`, so only `login_required` and `consent_required` occur),',
    '`invalid_request_uri`, `invalid_redirect_uri`, `invalid_client_metadata`, `authorization_pending`,',
    '`slow_down`, `expired_token`, `unsupported_token_type` and `temporarily_unavailable`. A feature that',
    'emits one adds it with its catalogue entries.',
    '',
  );
  return out.join('\n');
}
