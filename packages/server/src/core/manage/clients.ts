/**
 * Client registration and administration. Input and output use the RFC 7591 §2 metadata names so
 * that the CLI, the dashboard and (later) dynamic client registration share one validator, and
 * every ValidationError's `field` is the RFC 7591 field at fault.
 */
import { randomInt } from 'node:crypto';
import { admits } from '../authorize/visibility.js';
import { isLoopback, LOOPBACK_HOSTS_TEXT } from '../clients/loopback.js';
import { ACCESS_TOKEN_TTL_MAX, type CoreConfig } from '../config.js';
import { NotFoundError, ValidationError } from '../errors.js';
import { defaultGrantTypes, grantHandlerFor, grantRegistry, grantTypes as allGrantTypes, isGrantType } from '../grants/registry.js';
import { DEFAULT_AUTH_METHOD, isConfidential, tokenEndpointAuthMethods } from '../client-auth/methods.js';
import {
  signingAlgs,
  visibilities,
  type AccessTokenFormat,
  type Client,
  type ClientSecret,
  type GrantType,
  type SigningAlg,
  type TokenEndpointAuthMethod,
  type Visibility,
} from '../model.js';
import type { NewClient, Stores } from '../stores.js';
import { displayPrefix, generateOpaque, randomId, sha256 } from '../tokens/opaque.js';
import type { ManageDeps } from './deps.js';

export const REFRESH_TOKEN_TTL_MAX = 400 * 86_400;
const CLIENT_NAME_MAX_LENGTH = 100;
const DESCRIPTION_MAX_LENGTH = 500;
const URI_MAX_LENGTH = 2000;
const REDIRECT_URIS_MAX = 20;
const DEFAULT_SCOPES = ['openid', 'profile', 'email'];
/** Schemes that execute or embed content instead of navigating (RFC 9700 §4.1, open redirect / XSS). */
const FORBIDDEN_SCHEMES = new Set(['javascript:', 'data:', 'vbscript:', 'file:', 'blob:', 'about:', 'filesystem:']);
const accessTokenFormats: readonly AccessTokenFormat[] = ['opaque', 'jwt'];

/** RFC 7591 §2 client metadata, plus Gatehouse's own settings, as the CLI, API and dashboard send it. */
export interface ClientMetadataInput {
  client_name?: unknown;
  description?: unknown;
  client_uri?: unknown;
  logo_uri?: unknown;
  redirect_uris?: unknown;
  token_endpoint_auth_method?: unknown;
  grant_types?: unknown;
  response_types?: unknown;
  /** Space-separated (RFC 7591 §2); an array is accepted too. */
  scope?: unknown;
  visibility?: unknown;
  access_token_ttl?: unknown;
  refresh_token_ttl?: unknown;
  id_token_signed_response_alg?: unknown;
  access_token_format?: unknown;
}

/** The validated settings, in the model's shape. */
export interface ValidatedClientMetadata {
  name: string;
  description: string | null;
  homepageUrl: string | null;
  logoUrl: string | null;
  redirectUris: string[];
  tokenEndpointAuthMethod: TokenEndpointAuthMethod;
  grantTypes: GrantType[];
  scopes: string[];
  visibility: Visibility;
  accessTokenTtl: number | null;
  refreshTokenTtl: number | null;
  idTokenSignedResponseAlg: SigningAlg;
  accessTokenFormat: AccessTokenFormat;
}

/** RFC 7591 §3.2.1 client information response (without the secret). */
export interface ClientMetadata {
  client_id: string;
  client_id_issued_at: number;
  client_name: string;
  description?: string;
  client_uri?: string;
  logo_uri?: string;
  redirect_uris: string[];
  token_endpoint_auth_method: TokenEndpointAuthMethod;
  grant_types: GrantType[];
  response_types: string[];
  scope: string;
  visibility: Visibility;
  access_token_ttl?: number;
  refresh_token_ttl?: number;
  id_token_signed_response_alg: SigningAlg;
  access_token_format: AccessTokenFormat;
}

const invalid = (field: string, reason: string): ValidationError => ValidationError.named(field, reason);

const isAbsent = (value: unknown): boolean => value === undefined || value === null;

/** C0 controls, space, DEL, C1 controls and every other Unicode space: none belongs in a URI (RFC 3986 §2). */
const URI_FORBIDDEN = /[\u0000-\u0020\u007f-\u009f]|\s/u;
/** C0 controls, DEL and C1 controls: never part of a name. */
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/u;
/** The same, less tab and line breaks, which a multi-line description may hold. */
const CONTROL_BUT_LINE_BREAKS = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/u;

/**
 * Refuses a registered value holding a forbidden character, naming the character by its code
 * point and never echoing the value: a NUL or an escape sequence must not reach a page, a log or
 * a terminal, and a URI with them (which URL parsers silently strip or encode) would be stored
 * as something other than what is matched and shown.
 */
function refuseCharacters(field: string, value: string, pattern: RegExp, what: string): void {
  const found = pattern.exec(value);
  if (!found) return;
  const codePoint = `U+${found[0].codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`;
  throw invalid(field, `must not contain ${what} (${codePoint} at character ${found.index + 1})`);
}

function oneOf<T extends string>(field: string, value: unknown, allowed: readonly T[], fallback: T): T {
  if (isAbsent(value)) return fallback;
  if (typeof value !== 'string' || !(allowed as readonly string[]).includes(value)) {
    throw invalid(field, `must be one of ${allowed.join(', ')}`);
  }
  return value as T;
}

function stringList(field: string, value: unknown): string[] | undefined {
  if (isAbsent(value)) return undefined;
  if (!Array.isArray(value) || value.some((item) => typeof item !== 'string')) {
    throw invalid(field, 'must be an array of strings');
  }
  return value as string[];
}

function ttl(field: string, value: unknown, max: number): number | null {
  if (isAbsent(value)) return null;
  const number = typeof value === 'string' && /^\d+$/.test(value.trim()) ? Number(value) : value;
  if (typeof number !== 'number' || !Number.isSafeInteger(number) || number <= 0 || number > max) {
    throw invalid(field, `must be a whole number of seconds between 1 and ${max}`);
  }
  return number;
}

/**
 * A web URL shown to users (homepage, logo): https, or http on a loopback host for development.
 */
function webUrl(field: string, value: unknown): string | null {
  if (isAbsent(value) || value === '') return null;
  if (typeof value !== 'string') throw invalid(field, 'must be a string');
  if (value.length > URI_MAX_LENGTH) throw invalid(field, `must be at most ${URI_MAX_LENGTH} characters`);
  refuseCharacters(field, value, URI_FORBIDDEN, 'control characters or whitespace');
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw invalid(field, `"${value}" is not an absolute URL`);
  }
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && isLoopback(url))) {
    throw invalid(field, `"${value}" must use https (http only for ${LOOPBACK_HOSTS_TEXT})`);
  }
  if (url.username !== '' || url.password !== '') throw invalid(field, `"${value}" must not contain user information`);
  return value;
}

/**
 * Redirect URI rules. Exact string matching is done at authorization time (RFC 9700 §4.1.3), so
 * here we only refuse URIs that can never be safe:
 * - absolute, without a fragment (RFC 6749 §3.1.2) and without wildcards (RFC 9700 §4.1.1);
 * - https, or http only on loopback hosts (RFC 8252 §7.3, §8.3; clients/loopback.ts);
 * - private-use schemes for native apps must be reverse domain names, i.e. contain a dot
 *   (RFC 8252 §7.1), which also rules out `javascript:`, `data:` and friends;
 * - no user information, which only serves to disguise the real host.
 */
export function validateRedirectUri(value: unknown, field = 'redirect_uris'): string {
  if (typeof value !== 'string' || value === '') throw invalid(field, 'must be non-empty strings');
  if (value.length > URI_MAX_LENGTH) throw invalid(field, `must be at most ${URI_MAX_LENGTH} characters`);
  refuseCharacters(field, value, URI_FORBIDDEN, 'control characters or whitespace');
  if (value.includes('#')) throw invalid(field, `"${value}" must not contain a fragment (RFC 6749 §3.1.2)`);
  if (value.includes('*')) throw invalid(field, `"${value}" must not contain wildcards; register each URI exactly`);
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw invalid(field, `"${value}" is not an absolute URI`);
  }
  const scheme = url.protocol.toLowerCase();
  if (FORBIDDEN_SCHEMES.has(scheme)) throw invalid(field, `"${value}" uses the forbidden scheme ${scheme}`);
  if (url.username !== '' || url.password !== '') throw invalid(field, `"${value}" must not contain user information`);
  if (scheme === 'https:') {
    if (url.hostname === '') throw invalid(field, `"${value}" has no host`);
    return value;
  }
  if (scheme === 'http:') {
    if (!isLoopback(url)) {
      throw invalid(field, `"${value}" must use https (http is only allowed for ${LOOPBACK_HOSTS_TEXT})`);
    }
    return value;
  }
  // Private-use URI scheme for native apps (RFC 8252 §7.1): reverse domain name such as com.example.app.
  if (!scheme.slice(0, -1).includes('.')) {
    throw invalid(
      field,
      `"${value}" must use https; native apps may use a reverse-domain scheme such as com.example.app:/callback (RFC 8252 §7.1)`,
    );
  }
  return value;
}

function scopeList(value: unknown, knownScopes: ReadonlySet<string>): string[] {
  if (isAbsent(value)) return DEFAULT_SCOPES.filter((scope) => knownScopes.has(scope));
  let names: string[];
  if (typeof value === 'string') names = value.split(' ').filter((name) => name !== '');
  else if (Array.isArray(value) && value.every((item) => typeof item === 'string')) names = value as string[];
  else throw invalid('scope', 'must be a space-separated string');
  const unique = [...new Set(names)];
  const unknown = unique.filter((name) => !knownScopes.has(name));
  if (unknown.length > 0) {
    throw invalid('scope', `unknown scope${unknown.length > 1 ? 's' : ''} ${unknown.map((n) => `"${n}"`).join(', ')}`);
  }
  return unique;
}

/**
 * `grant_types` (RFC 7591 §2): registered grants only, each with the grants it needs and, for a
 * public client, only those that admit one (`GrantHandler.allowsPublicClients`).
 */
function grantList(value: unknown, authMethod: TokenEndpointAuthMethod): GrantType[] {
  const requested = stringList('grant_types', value);
  if (requested === undefined) return [...defaultGrantTypes];
  if (requested.length === 0) throw invalid('grant_types', 'must not be empty');
  for (const grant of requested) {
    if (!isGrantType(grant)) throw invalid('grant_types', `"${grant}" is not supported; use ${allGrantTypes.join(', ')}`);
  }
  const grants = [...new Set(requested)] as GrantType[];
  for (const grant of grants) {
    const missing = (grantHandlerFor(grant)!.requiresGrantTypes ?? []).filter((needed) => !(grants as string[]).includes(needed));
    if (missing.length > 0) throw invalid('grant_types', `${grant} requires ${missing.join(' and ')}`);
  }
  if (!isConfidential(authMethod)) {
    const refused = grants.find((grant) => !grantHandlerFor(grant)!.allowsPublicClients);
    if (refused !== undefined) {
      throw invalid('grant_types', `${refused} needs a confidential client (token_endpoint_auth_method other than none)`);
    }
  }
  return grants;
}

/** `response_types` must agree with `grant_types` (RFC 7591 §2.1): each grant's own, exactly when it is held. */
function checkResponseTypes(value: unknown, grants: readonly GrantType[]): void {
  const responseTypes = stringList('response_types', value);
  if (responseTypes === undefined) return;
  const supported = grantRegistry.flatMap((handler) => handler.responseType ?? []);
  for (const type of responseTypes) {
    if (!supported.includes(type)) {
      throw invalid('response_types', `"${type}" is not supported; only ${supported.map((t) => `"${t}"`).join(', ')} ${supported.length === 1 ? 'is' : 'are'} (OAuth 2.1)`);
    }
  }
  for (const handler of grantRegistry) {
    if (handler.responseType !== undefined && responseTypes.includes(handler.responseType) !== grants.includes(handler.grantType)) {
      throw invalid('response_types', `"${handler.responseType}" must be listed exactly when grant_types includes ${handler.grantType}`);
    }
  }
}

/**
 * Validates RFC 7591 §2 metadata and applies defaults. `knownScopes` is the scope catalogue; a
 * client may only register scopes from it.
 */
export function validateClientMetadata(
  input: ClientMetadataInput,
  options: { knownScopes: Iterable<string> },
): ValidatedClientMetadata {
  const knownScopes = new Set(options.knownScopes);

  if (typeof input.client_name !== 'string' || input.client_name.trim() === '') {
    throw invalid('client_name', 'is required');
  }
  const name = input.client_name.trim();
  if (name.length > CLIENT_NAME_MAX_LENGTH) {
    throw invalid('client_name', `must be at most ${CLIENT_NAME_MAX_LENGTH} characters`);
  }
  refuseCharacters('client_name', name, CONTROL, 'control characters');

  let description: string | null = null;
  if (!isAbsent(input.description)) {
    if (typeof input.description !== 'string') throw invalid('description', 'must be a string');
    description = input.description.trim() || null;
    if (description !== null && description.length > DESCRIPTION_MAX_LENGTH) {
      throw invalid('description', `must be at most ${DESCRIPTION_MAX_LENGTH} characters`);
    }
    if (description !== null) refuseCharacters('description', description, CONTROL_BUT_LINE_BREAKS, 'control characters');
  }

  const authMethod = oneOf('token_endpoint_auth_method', input.token_endpoint_auth_method, tokenEndpointAuthMethods, DEFAULT_AUTH_METHOD);

  const grants = grantList(input.grant_types, authMethod);
  checkResponseTypes(input.response_types, grants);

  const redirectList = stringList('redirect_uris', input.redirect_uris) ?? [];
  if (redirectList.length > REDIRECT_URIS_MAX) throw invalid('redirect_uris', `at most ${REDIRECT_URIS_MAX} are allowed`);
  const redirectUris = redirectList.map((uri) => validateRedirectUri(uri));
  const duplicate = redirectUris.find((uri, index) => redirectUris.indexOf(uri) !== index);
  if (duplicate !== undefined) throw invalid('redirect_uris', `"${duplicate}" is listed twice`);
  const redirected = grants.filter((grant) => grantHandlerFor(grant)!.responseType !== undefined);
  if (redirected.length > 0 && redirectUris.length === 0) {
    throw invalid('redirect_uris', `at least one is required for the ${redirected.join(' and ')} grant`);
  }

  return {
    name,
    description,
    homepageUrl: webUrl('client_uri', input.client_uri),
    logoUrl: webUrl('logo_uri', input.logo_uri),
    redirectUris,
    tokenEndpointAuthMethod: authMethod,
    grantTypes: grants,
    scopes: scopeList(input.scope, knownScopes),
    visibility: oneOf('visibility', input.visibility, visibilities, 'unlisted'),
    accessTokenTtl: ttl('access_token_ttl', input.access_token_ttl, ACCESS_TOKEN_TTL_MAX),
    refreshTokenTtl: ttl('refresh_token_ttl', input.refresh_token_ttl, REFRESH_TOKEN_TTL_MAX),
    idTokenSignedResponseAlg: oneOf('id_token_signed_response_alg', input.id_token_signed_response_alg, signingAlgs, 'RS256'),
    accessTokenFormat: oneOf('access_token_format', input.access_token_format, accessTokenFormats, 'opaque'),
  };
}

const CLIENT_ID_ALPHABET = 'abcdefghijklmnopqrstuvwxyz0123456789';

/** 24 lowercase alphanumerics (~124 bits): unguessable, and safe in URLs, logs and case-insensitive contexts. */
export function generateClientId(): string {
  let id = '';
  for (let i = 0; i < 24; i++) id += CLIENT_ID_ALPHABET[randomInt(CLIENT_ID_ALPHABET.length)];
  return id;
}

function newSecret(config: CoreConfig, now: number): { clientSecret: string; record: Omit<ClientSecret, 'clientId'> } {
  const prefix = config.prefixes.clientSecret;
  const clientSecret = generateOpaque(prefix);
  return {
    clientSecret,
    // Only the hash is stored (RFC 9700 §4.14); the plain secret is shown once.
    record: { id: randomId(), secretHash: sha256(clientSecret), displayPrefix: displayPrefix(clientSecret, prefix), createdAt: now, expiresAt: null },
  };
}

export interface RegisterClientInput extends ClientMetadataInput {
  ownerUserId?: string | null | undefined;
  ownerWorkspaceId?: string | null | undefined;
}

/**
 * Registers a client. Confidential clients get a secret, returned here once and stored only as
 * its SHA-256; public clients (`none`) get none.
 */
export async function registerClient(
  deps: ManageDeps,
  input: RegisterClientInput,
): Promise<{ client: Client; clientSecret?: string }> {
  const { stores } = deps;
  const knownScopes = (await stores.listScopes()).map((scope) => scope.name);
  const metadata = validateClientMetadata(input, { knownScopes });
  const ownerUserId = input.ownerUserId ?? null;
  const ownerWorkspaceId = input.ownerWorkspaceId ?? null;
  if (ownerUserId !== null && !(await stores.findUserById(ownerUserId))) {
    throw new NotFoundError('user', `user ${ownerUserId} not found`);
  }
  if (ownerWorkspaceId !== null && !(await stores.findWorkspaceById(ownerWorkspaceId))) {
    throw new NotFoundError('workspace', `workspace ${ownerWorkspaceId} not found`);
  }
  const now = deps.now();
  const client: NewClient = { id: generateClientId(), ...metadata, ownerUserId, ownerWorkspaceId };
  if (!isConfidential(metadata.tokenEndpointAuthMethod)) {
    return { client: await stores.createClient(client) };
  }
  const secret = newSecret(deps.config, now);
  return { client: await stores.createClient(client, secret.record), clientSecret: secret.clientSecret };
}

async function requireClient(stores: Stores, clientId: string): Promise<Client> {
  const client = typeof clientId === 'string' && clientId !== '' ? await stores.findClient(clientId) : undefined;
  if (!client) throw new NotFoundError('client', `client "${clientId}" not found`);
  return client;
}

/**
 * Issues a new secret. Existing secrets stay valid until `now + graceSeconds`, so deployments can
 * roll the new secret out without downtime; the default 0 revokes them at once (e.g. after a leak).
 */
export async function rotateClientSecret(
  deps: ManageDeps,
  clientId: string,
  options: { graceSeconds?: number } = {},
): Promise<{ clientSecret: string; previousSecretsValidUntil: number }> {
  const { stores } = deps;
  const graceSeconds = options.graceSeconds ?? 0;
  if (!Number.isSafeInteger(graceSeconds) || graceSeconds < 0 || graceSeconds > 30 * 86_400) {
    throw ValidationError.named('grace', 'must be a whole number of seconds between 0 and 2592000 (30 days)');
  }
  const client = await requireClient(stores, clientId);
  if (!isConfidential(client.tokenEndpointAuthMethod)) {
    throw invalid('token_endpoint_auth_method', 'public clients (none) have no secret to rotate');
  }
  const now = deps.now();
  const secret = newSecret(deps.config, now);
  await stores.rotateSecret(client.id, secret.record, now + graceSeconds);
  return { clientSecret: secret.clientSecret, previousSecretsValidUntil: now + graceSeconds };
}

/** Deletes the client with its secrets, grants and tokens; its sealed access tokens die with it. */
export async function deleteClient(deps: ManageDeps, clientId: string): Promise<void> {
  const { stores } = deps;
  await requireClient(stores, clientId);
  if (!(await stores.deleteClient(clientId, deps.now()))) throw new NotFoundError('client', `client "${clientId}" not found`);
}

/**
 * Changes settings, re-validating the whole result. Switching between public (`none`) and
 * confidential authentication is refused: it would need a secret issued or revoked, which is a
 * new registration in all but name.
 */
export async function updateClientSettings(
  deps: ManageDeps,
  clientId: string,
  patch: ClientMetadataInput,
): Promise<Client> {
  const { stores } = deps;
  const client = await requireClient(stores, clientId);
  const current = toClientMetadata(client);
  const merged: ClientMetadataInput = { ...current, description: client.description, ...patch };
  if (patch.grant_types !== undefined && patch.response_types === undefined) delete merged.response_types;
  // Scopes already on the client stay valid even if the catalogue lost them, unless they are being changed.
  const catalogue = (await stores.listScopes()).map((scope) => scope.name);
  const knownScopes = patch.scope === undefined ? [...catalogue, ...client.scopes] : catalogue;
  const metadata = validateClientMetadata(merged, { knownScopes });
  if (isConfidential(metadata.tokenEndpointAuthMethod) !== isConfidential(client.tokenEndpointAuthMethod)) {
    throw invalid('token_endpoint_auth_method', 'cannot switch between public (none) and confidential; register a new client');
  }
  const updated = await stores.updateClient(client.id, metadata);
  if (!updated) throw new NotFoundError('client', `client "${clientId}" not found`);
  if (updated.visibility === 'internal' && client.visibility !== 'internal') await revokeGrantsOfOutsiders(stores, updated, deps.now());
  return updated;
}

/**
 * An app made internal admits only the members of its owning workspace, or its owning user
 * (`authorize/visibility.ts`): everyone else's consent is revoked with its tokens. Refreshes
 * check the same rule, so a consent given meanwhile gets no further either.
 */
async function revokeGrantsOfOutsiders(stores: Stores, client: Client, now: number): Promise<void> {
  const grants = await stores.listGrantsForClient(client.id);
  if (grants.length === 0) return;
  const members = new Set(client.ownerWorkspaceId ? (await stores.listMembers(client.ownerWorkspaceId)).map((member) => member.userId) : []);
  for (const grant of grants) {
    if (!admits(client, grant.userId, members.has(grant.userId))) await stores.revokeGrant(grant.id, now);
  }
}

export async function listClients(deps: ManageDeps): Promise<Client[]> {
  const { stores } = deps;
  return stores.listClients();
}

/** RFC 7591 §3.2.1 representation; unset optional values are omitted rather than null. */
export function toClientMetadata(client: Client): ClientMetadata {
  const metadata: ClientMetadata = {
    client_id: client.id,
    client_id_issued_at: client.createdAt,
    client_name: client.name,
    redirect_uris: [...client.redirectUris],
    token_endpoint_auth_method: client.tokenEndpointAuthMethod,
    grant_types: [...client.grantTypes],
    response_types: client.grantTypes.flatMap((grant) => grantHandlerFor(grant)?.responseType ?? []),
    scope: client.scopes.join(' '),
    visibility: client.visibility,
    id_token_signed_response_alg: client.idTokenSignedResponseAlg,
    access_token_format: client.accessTokenFormat,
  };
  if (client.description !== null) metadata.description = client.description;
  if (client.homepageUrl !== null) metadata.client_uri = client.homepageUrl;
  if (client.logoUrl !== null) metadata.logo_uri = client.logoUrl;
  if (client.accessTokenTtl !== null) metadata.access_token_ttl = client.accessTokenTtl;
  if (client.refreshTokenTtl !== null) metadata.refresh_token_ttl = client.refreshTokenTtl;
  return metadata;
}

/**
 * The registration response (RFC 7591 §3.2.1): metadata plus, for confidential clients, the
 * secret and `client_secret_expires_at` (0: does not expire), which is required with a secret.
 */
export function toRegistrationResponse(
  client: Client,
  clientSecret?: string,
): ClientMetadata & { client_secret?: string; client_secret_expires_at?: number } {
  const metadata = toClientMetadata(client);
  if (clientSecret === undefined) return metadata;
  const { client_id, ...rest } = metadata;
  return { client_id, client_secret: clientSecret, client_secret_expires_at: 0, ...rest };
}
