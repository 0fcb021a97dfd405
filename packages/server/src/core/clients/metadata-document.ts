/**
 * The rules a client ID metadata document must satisfy before it becomes a client
 * (draft-ietf-oauth-client-id-metadata-document; MCP authorization 2025-11-25, "Client ID
 * Metadata Documents"). Pure: the fetch is `net/safe-fetch.ts`'s; this checks what it returned
 * against the URL it was fetched from and normalises it to the shape of a registered client.
 *
 * Display fields and redirect URIs go through the console's own validation
 * (`manage/clients.ts`), so a document can register nothing the console would refuse. Errors are
 * ValidationErrors naming the RFC 7591 field at fault.
 */
import { ValidationError } from '../errors.js';
import { validateClientMetadata } from '../manage/clients.js';
import type { GrantType } from '../model.js';

/** As for URIs registered through the console. */
const URL_MAX_LENGTH = 2000;
/** Control characters, whitespace and backslashes (which URL parsers read as "/"): never in an identifier compared as a string. */
const URL_FORBIDDEN = /[\u0000-\u0020\u007f-\u009f\\]|\s/u;
/** A scope token (RFC 6749 §3.3). */
const SCOPE_TOKEN = /^[\u0021\u0023-\u005b\u005d-\u007e]+$/;
/** JWK members that hold private or symmetric key material (RFC 7518 §6.2.2, §6.3.2, §6.4.1; RFC 8037 §2). */
const PRIVATE_JWK_MEMBERS = ['d', 'p', 'q', 'dp', 'dq', 'qi', 'oth', 'k'];
/** Methods built on a shared secret, which a document cannot establish ("Credential and Key Material Restrictions"). */
const SHARED_SECRET_METHODS = new Set(['client_secret_post', 'client_secret_basic', 'client_secret_jwt']);

/** A document's client either is public or proves itself with a key it publishes (OpenID Connect Core §9 private_key_jwt). */
export type DocumentAuthMethod = 'none' | 'private_key_jwt';
const documentAuthMethods: readonly DocumentAuthMethod[] = ['none', 'private_key_jwt'];

/**
 * The grants a document may ask for. client_credentials needs a client that authenticates, so
 * only with private_key_jwt (RFC 6749 §4.4).
 */
const documentGrantTypes: readonly GrantType[] = ['authorization_code', 'refresh_token', 'client_credentials'];

export interface PublicJwks {
  keys: Record<string, unknown>[];
}

/** A validated document, in the shape of the model's client metadata. */
export interface ClientMetadataDocument {
  /** The URL itself: the client's identifier. */
  clientId: string;
  /** `client_name`, or the URL's host when the document has none: the host is what the user should see anyway ("OAuth Phishing Attacks"). */
  name: string;
  homepageUrl: string | null;
  logoUrl: string | null;
  redirectUris: string[];
  tokenEndpointAuthMethod: DocumentAuthMethod;
  grantTypes: GrantType[];
  /** The scopes the document names, or null when it names none (the server's default applies). */
  scopes: string[] | null;
  jwks: PublicJwks | null;
  jwksUri: string | null;
}

const invalid = (field: string, reason: string): ValidationError => ValidationError.named(field, reason);

const isAbsent = (value: unknown): boolean => value === undefined || value === null;

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/** The authority, path, query and fragment of a URL as written, before any parser normalises them (RFC 3986 §3). */
function rawParts(value: string): { authority: string; path: string; hasFragment: boolean } {
  const rest = value.replace(/^[a-z][a-z0-9+.-]*:\/\//i, '');
  const authorityEnd = rest.search(/[/?#]/);
  const authority = authorityEnd === -1 ? rest : rest.slice(0, authorityEnd);
  const afterAuthority = authorityEnd === -1 ? '' : rest.slice(authorityEnd);
  const pathEnd = afterAuthority.search(/[?#]/);
  return { authority, path: pathEnd === -1 ? afterAuthority : afterAuthority.slice(0, pathEnd), hasFragment: value.includes('#') };
}

/**
 * A Client Identifier URL ("Client Identifier URL"): https, no userinfo, a path without "." or
 * ".." segments (percent-encoded ones included, which URL parsers resolve as well), no fragment.
 * A query is allowed (the draft says SHOULD NOT); so is a port. Returns the URL unchanged: it is
 * compared as a string, never normalised.
 */
export function validateClientIdUrl(value: unknown, field = 'client_id'): string {
  if (typeof value !== 'string' || value === '') throw invalid(field, 'must be a non-empty string');
  if (value.length > URL_MAX_LENGTH) throw invalid(field, `must be at most ${URL_MAX_LENGTH} characters`);
  if (URL_FORBIDDEN.test(value)) throw invalid(field, 'must not contain whitespace, control characters or backslashes');
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw invalid(field, 'is not an absolute URL');
  }
  if (url.protocol !== 'https:') throw invalid(field, 'must use https');
  const { authority, path, hasFragment } = rawParts(value);
  if (authority.includes('@') || url.username !== '' || url.password !== '') throw invalid(field, 'must not contain user information');
  if (url.hostname === '') throw invalid(field, 'has no host');
  if (!path.startsWith('/')) throw invalid(field, 'must have a path, e.g. https://app.example.com/client.json');
  const segments = path.split('/').map((segment) => segment.replace(/%2e/gi, '.'));
  if (segments.some((segment) => segment === '.' || segment === '..')) throw invalid(field, 'must not contain "." or ".." path segments');
  if (hasFragment) throw invalid(field, 'must not contain a fragment');
  return value;
}

/** An https URL the server may link to or fetch (logo, homepage, key set): no loopback http, unlike the console's development exception. */
function httpsUrl(field: string, value: string | null): string | null {
  if (value === null) return null;
  const url = new URL(value);
  if (url.protocol !== 'https:') throw invalid(field, 'must use https in a client metadata document');
  if (value.includes('#')) throw invalid(field, 'must not contain a fragment');
  return value;
}

/** jwks_uri: the checks of the other fetched URLs. */
function jwksUriOf(value: unknown): string | null {
  if (isAbsent(value)) return null;
  if (typeof value !== 'string' || value === '') throw invalid('jwks_uri', 'must be a non-empty string');
  if (value.length > URL_MAX_LENGTH) throw invalid('jwks_uri', `must be at most ${URL_MAX_LENGTH} characters`);
  if (URL_FORBIDDEN.test(value)) throw invalid('jwks_uri', 'must not contain whitespace, control characters or backslashes');
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw invalid('jwks_uri', 'is not an absolute URL');
  }
  if (url.username !== '' || url.password !== '' || rawParts(value).authority.includes('@')) throw invalid('jwks_uri', 'must not contain user information');
  return httpsUrl('jwks_uri', value);
}

/** jwks: a JWK Set (RFC 7517 §5) of public keys only; private key material is forbidden ("Credential and Key Material Restrictions"). */
function jwksOf(value: unknown): PublicJwks | null {
  if (isAbsent(value)) return null;
  if (!isObject(value) || !Array.isArray(value['keys']) || value['keys'].length === 0) {
    throw invalid('jwks', 'must be a JWK Set: an object with a non-empty "keys" array');
  }
  const keys = value['keys'] as unknown[];
  keys.forEach((key, index) => {
    if (!isObject(key) || typeof key['kty'] !== 'string') throw invalid('jwks', `key ${index + 1} must be a JWK with a "kty"`);
    const secret = PRIVATE_JWK_MEMBERS.find((member) => member in key);
    if (secret !== undefined) throw invalid('jwks', `key ${index + 1} holds private or symmetric key material ("${secret}"); publish public keys only`);
  });
  return { keys: keys as Record<string, unknown>[] };
}

function authMethodOf(value: unknown): DocumentAuthMethod {
  if (isAbsent(value)) return 'none';
  if (typeof value === 'string' && SHARED_SECRET_METHODS.has(value)) {
    throw invalid('token_endpoint_auth_method', `${value} needs a shared secret, which a client metadata document cannot establish; use none or private_key_jwt`);
  }
  if (typeof value !== 'string' || !(documentAuthMethods as readonly string[]).includes(value)) {
    throw invalid('token_endpoint_auth_method', `must be one of ${documentAuthMethods.join(', ')}`);
  }
  return value as DocumentAuthMethod;
}

function stringArray(field: string, value: unknown): string[] | undefined {
  if (isAbsent(value)) return undefined;
  if (!Array.isArray(value) || value.some((item) => typeof item !== 'string')) throw invalid(field, 'must be an array of strings');
  return value as string[];
}

/** grant_types, defaulting to authorization_code alone (RFC 7591 §2). */
function grantTypesOf(value: unknown, authMethod: DocumentAuthMethod): GrantType[] {
  const requested = stringArray('grant_types', value);
  if (requested === undefined) return ['authorization_code'];
  if (requested.length === 0) throw invalid('grant_types', 'must not be empty');
  const unsupported = requested.find((grant) => !(documentGrantTypes as readonly string[]).includes(grant));
  if (unsupported !== undefined) throw invalid('grant_types', `"${unsupported}" is not supported; use ${documentGrantTypes.join(', ')}`);
  const grants = [...new Set(requested)] as GrantType[];
  // Refresh tokens come only with authorization codes (RFC 6749 §4.4.3 forbids them for client credentials).
  if (grants.includes('refresh_token') && !grants.includes('authorization_code')) throw invalid('grant_types', 'refresh_token requires authorization_code');
  if (grants.includes('client_credentials') && authMethod !== 'private_key_jwt') {
    throw invalid('grant_types', 'client_credentials needs a client that authenticates (token_endpoint_auth_method private_key_jwt)');
  }
  return grants;
}

/** response_types, defaulting to "code"; it must agree with grant_types (RFC 7591 §2.1). */
function checkResponseTypes(value: unknown, grants: readonly GrantType[]): void {
  const types = stringArray('response_types', value);
  if (types === undefined) return;
  const other = types.find((type) => type !== 'code');
  if (other !== undefined) throw invalid('response_types', `"${other}" is not supported; only "code" is (OAuth 2.1)`);
  if (types.includes('code') !== grants.includes('authorization_code')) {
    throw invalid('response_types', '"code" must be listed exactly when grant_types includes authorization_code');
  }
}

/** scope: space-separated scope tokens (RFC 7591 §2, RFC 6749 §3.3); the catalogue is applied when the client is used. */
function scopesOf(value: unknown): string[] | null {
  if (isAbsent(value)) return null;
  if (typeof value !== 'string') throw invalid('scope', 'must be a space-separated string');
  const names = value.split(' ').filter((name) => name !== '');
  if (names.some((name) => !SCOPE_TOKEN.test(name))) throw invalid('scope', 'holds a character a scope name may not contain (RFC 6749 §3.3)');
  return [...new Set(names)];
}

/**
 * The console's checks of the fields a document shares with a registered app: name, homepage,
 * logo and redirect URIs. `manage/clients.ts` exports them only as one validator of a whole
 * registration, so this runs it on those fields in the context of a public app using the
 * authorization code grant, where each of them is checked on its own.
 */
function consoleChecks(document: Record<string, unknown>, name: string): { name: string; homepageUrl: string | null; logoUrl: string | null; redirectUris: string[] } {
  const checked = validateClientMetadata(
    {
      client_name: name,
      client_uri: document['client_uri'],
      logo_uri: document['logo_uri'],
      redirect_uris: document['redirect_uris'],
      token_endpoint_auth_method: 'none',
      grant_types: ['authorization_code'],
    },
    { knownScopes: [] },
  );
  return { name: checked.name, homepageUrl: checked.homepageUrl, logoUrl: checked.logoUrl, redirectUris: checked.redirectUris };
}

/**
 * Validates a fetched document against the URL it was fetched from and returns the client it
 * describes. Unknown fields are ignored (RFC 7591 §2 lets a server ignore metadata it does not
 * understand). Throws ValidationError naming the field.
 */
export function validateClientMetadataDocument(document: unknown, url: string): ClientMetadataDocument {
  const clientId = validateClientIdUrl(url);
  if (!isObject(document)) throw invalid('client_id', 'the document must be a JSON object');
  // Simple string comparison, no normalisation (RFC 3986 §6.2.1; "Client ID Metadata Document").
  if (document['client_id'] !== clientId) throw invalid('client_id', 'must equal the URL the document was fetched from, exactly');
  for (const field of ['client_secret', 'client_secret_expires_at']) {
    if (field in document) throw invalid(field, 'must not appear in a client metadata document: there is no shared secret');
  }
  const tokenEndpointAuthMethod = authMethodOf(document['token_endpoint_auth_method']);
  const grantTypes = grantTypesOf(document['grant_types'], tokenEndpointAuthMethod);
  checkResponseTypes(document['response_types'], grantTypes);

  const redirects = document['redirect_uris'];
  if (isAbsent(redirects) || (Array.isArray(redirects) && redirects.length === 0)) throw invalid('redirect_uris', 'is required: list at least one');
  const rawName = document['client_name'];
  if (!isAbsent(rawName) && typeof rawName !== 'string') throw invalid('client_name', 'must be a string');
  const shared = consoleChecks(document, typeof rawName === 'string' && rawName.trim() !== '' ? rawName : new URL(clientId).host);

  const jwks = jwksOf(document['jwks']);
  const jwksUri = jwksUriOf(document['jwks_uri']);
  // RFC 7591 §2: "jwks_uri and jwks parameters MUST NOT both be present".
  if (jwks !== null && jwksUri !== null) throw invalid('jwks', 'must not be given together with jwks_uri');
  if (tokenEndpointAuthMethod === 'private_key_jwt' && jwks === null && jwksUri === null) {
    throw invalid('jwks_uri', 'private_key_jwt needs the public keys: give jwks_uri or jwks');
  }

  return {
    clientId,
    name: shared.name,
    homepageUrl: httpsUrl('client_uri', shared.homepageUrl),
    logoUrl: httpsUrl('logo_uri', shared.logoUrl),
    redirectUris: shared.redirectUris,
    tokenEndpointAuthMethod,
    grantTypes,
    scopes: scopesOf(document['scope']),
    jwks,
    jwksUri,
  };
}
