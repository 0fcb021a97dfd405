/**
 * Rows ⇄ model. Each mapper reads a `Selectable<…>` row of `schema.ts` and each row builder returns
 * the table's full row type, so a column added to the schema and forgotten here fails to compile.
 * Text columns holding a closed set of values (kind, state, visibility, …) and JSON lists are
 * checked as they are read, with no cast: a value this version does not know throws.
 */
import type { Selectable } from 'kysely';
import { tokenEndpointAuthMethods } from '../core/client-auth/methods.js';
import { grantTypes } from '../core/grants/registry.js';
import { signingAlgs, visibilities, workspaceRoles } from '../core/model.js';
import type {
  AccessTokenFormat,
  Client,
  ClientSecret,
  Grant,
  Interaction,
  KeyState,
  Scope,
  Session,
  SigningKey,
  TokenKind,
  TokenRecord,
  User,
  Workspace,
} from '../core/model.js';
import type { ClientPatch, GrantHolders, NewClient } from '../core/stores.js';
import type {
  ClientSecretsTable,
  ClientsTable,
  GrantsTable,
  InteractionsTable,
  ScopesTable,
  SessionsTable,
  SigningKeysTable,
  TokensTable,
  UsersTable,
  WorkspacesTable,
} from './schema.js';

/** Case-insensitive uniqueness without relying on collations that differ between SQLite and Postgres. */
export function normalizeUsername(username: string): string {
  return username.normalize('NFC').toLowerCase();
}

export const flag = (value: boolean): number => (value ? 1 : 0);

const isString = (value: unknown): value is string => typeof value === 'string';

/** A JSON list of strings, as stored by `JSON.stringify`; anything else throws. */
export function list(json: string): string[] {
  const value: unknown = JSON.parse(json);
  if (Array.isArray(value) && value.every(isString)) return value;
  throw new Error(`stored list is not a JSON array of strings: ${json.slice(0, 80)}`);
}

/**
 * A reader for a text column that holds one of `members`: a Set lookup, and an error naming the
 * column for a value this version does not know (a newer version's row, or a hand edit). The
 * members come from core's registries where it has one (grant types, auth methods), otherwise
 * from a record keyed by every member of the union, so a member added to the union and not here
 * fails to compile.
 */
export function oneOf<T extends string>(column: string, members: readonly T[] | Record<T, true>): (value: string) => T {
  const known: ReadonlySet<string> = new Set<string>(Array.isArray(members) ? members : Object.keys(members));
  const isMember = (value: string): value is T => known.has(value);
  return (value) => {
    if (isMember(value)) return value;
    throw new Error(`unknown ${column} "${value}" in the database`);
  };
}

const keyStates: Record<KeyState, true> = { next: true, current: true, retired: true };
const tokenKinds: Record<TokenKind, true> = { access: true, refresh: true };
const accessTokenFormats: Record<AccessTokenFormat, true> = { opaque: true, jwt: true };

export const parseRole = oneOf('workspace_members.role', workspaceRoles);
const parseAuthMethod = oneOf('clients.token_endpoint_auth_method', tokenEndpointAuthMethods);
const parseGrantType = oneOf('clients.grant_types', grantTypes);
const parseVisibility = oneOf('clients.visibility', visibilities);
const parseIdTokenAlg = oneOf('clients.id_token_signed_response_alg', signingAlgs);
const parseKeyAlg = oneOf('signing_keys.alg', signingAlgs);
const parseAccessTokenFormat = oneOf('clients.access_token_format', accessTokenFormats);
const parseKeyState = oneOf('signing_keys.state', keyStates);
const parseTokenKind = oneOf('tokens.kind', tokenKinds);

export function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

export function toUser(row: UserRow): User {
  return {
    id: row.id,
    username: row.username,
    email: row.email,
    emailVerified: row.email_verified === 1,
    name: row.name,
    picture: row.picture,
    isAdmin: row.is_admin === 1,
    disabledAt: row.disabled_at,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

export function toWorkspace(row: Selectable<WorkspacesTable>): Workspace {
  return { id: row.id, name: row.name, slug: row.slug, createdAt: row.created_at };
}

export function scopeRow(scope: Scope): ScopesTable {
  return {
    name: scope.name,
    description: scope.description,
    requires_workspace: flag(scope.requiresWorkspace),
    builtin: flag(scope.builtin),
  };
}

export function toScope(row: Selectable<ScopesTable>): Scope {
  return {
    name: row.name,
    description: row.description,
    requiresWorkspace: row.requires_workspace === 1,
    builtin: row.builtin === 1,
  };
}

/** A new client's full row: every column named, so one added to `ClientsTable` and left out here does not compile. */
export function clientRow(client: NewClient, now: number): ClientsTable {
  return {
    id: client.id,
    name: client.name,
    description: client.description,
    homepage_url: client.homepageUrl,
    logo_url: client.logoUrl,
    redirect_uris: JSON.stringify(client.redirectUris),
    token_endpoint_auth_method: client.tokenEndpointAuthMethod,
    scopes: JSON.stringify(client.scopes),
    grant_types: JSON.stringify(client.grantTypes),
    visibility: client.visibility,
    owner_user_id: client.ownerUserId,
    owner_workspace_id: client.ownerWorkspaceId,
    access_token_ttl: client.accessTokenTtl,
    refresh_token_ttl: client.refreshTokenTtl,
    id_token_signed_response_alg: client.idTokenSignedResponseAlg,
    access_token_format: client.accessTokenFormat,
    verified: flag(client.verified ?? false),
    resource_server: flag(client.resourceServer ?? false),
    created_at: now,
    updated_at: now,
  };
}

/** The columns present in `client`; absent fields are left out so a patch touches only what it names. */
export function clientColumns(client: ClientPatch): Partial<ClientsTable> {
  const columns: Partial<ClientsTable> = {};
  if (client.name !== undefined) columns.name = client.name;
  if (client.description !== undefined) columns.description = client.description;
  if (client.homepageUrl !== undefined) columns.homepage_url = client.homepageUrl;
  if (client.logoUrl !== undefined) columns.logo_url = client.logoUrl;
  if (client.redirectUris !== undefined) columns.redirect_uris = JSON.stringify(client.redirectUris);
  if (client.tokenEndpointAuthMethod !== undefined) columns.token_endpoint_auth_method = client.tokenEndpointAuthMethod;
  if (client.scopes !== undefined) columns.scopes = JSON.stringify(client.scopes);
  if (client.grantTypes !== undefined) columns.grant_types = JSON.stringify(client.grantTypes);
  if (client.visibility !== undefined) columns.visibility = client.visibility;
  if (client.ownerUserId !== undefined) columns.owner_user_id = client.ownerUserId;
  if (client.ownerWorkspaceId !== undefined) columns.owner_workspace_id = client.ownerWorkspaceId;
  if (client.accessTokenTtl !== undefined) columns.access_token_ttl = client.accessTokenTtl;
  if (client.refreshTokenTtl !== undefined) columns.refresh_token_ttl = client.refreshTokenTtl;
  if (client.idTokenSignedResponseAlg !== undefined) columns.id_token_signed_response_alg = client.idTokenSignedResponseAlg;
  if (client.accessTokenFormat !== undefined) columns.access_token_format = client.accessTokenFormat;
  return columns;
}

export function toClient(row: Selectable<ClientsTable>): Client {
  return {
    id: row.id,
    name: row.name,
    description: row.description,
    homepageUrl: row.homepage_url,
    logoUrl: row.logo_url,
    redirectUris: list(row.redirect_uris),
    tokenEndpointAuthMethod: parseAuthMethod(row.token_endpoint_auth_method),
    scopes: list(row.scopes),
    grantTypes: list(row.grant_types).map(parseGrantType),
    visibility: parseVisibility(row.visibility),
    ownerUserId: row.owner_user_id,
    ownerWorkspaceId: row.owner_workspace_id,
    accessTokenTtl: row.access_token_ttl,
    refreshTokenTtl: row.refresh_token_ttl,
    idTokenSignedResponseAlg: parseIdTokenAlg(row.id_token_signed_response_alg),
    accessTokenFormat: parseAccessTokenFormat(row.access_token_format),
    verified: row.verified === 1,
    resourceServer: row.resource_server === 1,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

export function secretRow(secret: ClientSecret): ClientSecretsTable {
  return {
    id: secret.id,
    client_id: secret.clientId,
    secret_hash: secret.secretHash,
    display_prefix: secret.displayPrefix,
    created_at: secret.createdAt,
    expires_at: secret.expiresAt,
  };
}

export function toSecret(row: Selectable<ClientSecretsTable>): ClientSecret {
  return {
    id: row.id,
    clientId: row.client_id,
    secretHash: row.secret_hash,
    displayPrefix: row.display_prefix,
    createdAt: row.created_at,
    expiresAt: row.expires_at,
  };
}

export function keyRow(key: SigningKey): SigningKeysTable {
  return {
    kid: key.kid,
    alg: key.alg,
    state: key.state,
    public_jwk: key.publicJwk,
    private_jwk: key.privateJwk,
    created_at: key.createdAt,
    activated_at: key.activatedAt,
    retired_at: key.retiredAt,
  };
}

export function toKey(row: Selectable<SigningKeysTable>): SigningKey {
  return {
    kid: row.kid,
    alg: parseKeyAlg(row.alg),
    state: parseKeyState(row.state),
    publicJwk: row.public_jwk,
    privateJwk: row.private_jwk,
    createdAt: row.created_at,
    activatedAt: row.activated_at,
    retiredAt: row.retired_at,
  };
}

export function toSession(row: Selectable<SessionsTable>): Session {
  return { idHash: row.id_hash, userId: row.user_id, authTime: row.auth_time, createdAt: row.created_at, expiresAt: row.expires_at };
}

export function toInteraction(row: Selectable<InteractionsTable>): Interaction {
  return { idHash: row.id_hash, clientId: row.client_id, request: row.request, createdAt: row.created_at, expiresAt: row.expires_at };
}

export function toGrant(row: Selectable<GrantsTable>): Grant {
  return {
    id: row.id,
    userId: row.user_id,
    clientId: row.client_id,
    scopes: list(row.scopes),
    workspaceIds: list(row.workspace_ids),
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    lastUsedAt: row.last_used_at,
    revokedAt: row.revoked_at,
  };
}

/**
 * The columns a `User` is read from. The password hash leaves the database only through
 * `findCredentials`: the token, session, profile and admin reads never carry it, and a narrower
 * row costs less to build on the hot paths.
 */
export const USER_COLUMNS = [
  'id', 'username', 'email', 'email_verified', 'name', 'picture', 'is_admin', 'disabled_at', 'created_at', 'updated_at',
] as const satisfies ReadonlyArray<keyof UsersTable>;

export type UserRow = Pick<Selectable<UsersTable>, (typeof USER_COLUMNS)[number]>;

export const GRANT_COLUMNS = [
  'id', 'user_id', 'client_id', 'scopes', 'workspace_ids', 'created_at', 'updated_at', 'last_used_at', 'revoked_at',
] as const satisfies ReadonlyArray<keyof GrantsTable>;

/** A user's columns, for hand-written SQL that reads them under their own names. */
export const USER_SELECT = USER_COLUMNS.map((column) => `users.${column}`).join(', ');

/** A joined user's and grant's columns under `u_` and `g_`, so they cannot collide with the row they are joined to. */
export const USER_ALIASES = USER_COLUMNS.map((column) => `users.${column} as u_${column}`).join(', ');
export const HOLDER_COLUMNS = `${USER_ALIASES}, ${GRANT_COLUMNS.map((column) => `grants.${column} as g_${column}`).join(', ')}`;

/** A left-joined table's columns under `Prefix`: the row's values, or every one null when the join found none. */
export type Joined<Row, Prefix extends string> =
  | { [K in keyof Row & string as `${Prefix}${K}`]: Row[K] }
  | { [K in keyof Row & string as `${Prefix}${K}`]: null };

/** A row whose columns are all null: what `users.*` reads through a left join that found no user. */
export type Absent<Row> = { [K in keyof Row]: null };

export type UserJoin = Joined<UserRow, 'u_'>;
export type HolderJoin = UserJoin & Joined<Selectable<GrantsTable>, 'g_'>;

export function joinedUser(row: UserJoin): User | undefined {
  if (row.u_id === null) return undefined;
  return toUser({
    id: row.u_id,
    username: row.u_username,
    email: row.u_email,
    email_verified: row.u_email_verified,
    name: row.u_name,
    picture: row.u_picture,
    is_admin: row.u_is_admin,
    disabled_at: row.u_disabled_at,
    created_at: row.u_created_at,
    updated_at: row.u_updated_at,
  });
}

function joinedGrant(row: Joined<Selectable<GrantsTable>, 'g_'>): Grant | undefined {
  if (row.g_id === null) return undefined;
  return toGrant({
    id: row.g_id,
    user_id: row.g_user_id,
    client_id: row.g_client_id,
    scopes: row.g_scopes,
    workspace_ids: row.g_workspace_ids,
    created_at: row.g_created_at,
    updated_at: row.g_updated_at,
    last_used_at: row.g_last_used_at,
    revoked_at: row.g_revoked_at,
  });
}

export function toHolders(row: HolderJoin): GrantHolders {
  return { user: joinedUser(row), grant: joinedGrant(row) };
}

export const TOKEN_COLUMNS = [
  'token_hash', 'kind', 'jti', 'client_id', 'user_id', 'grant_id', 'family_id', 'scopes', 'workspace_ids', 'resource',
  'auth_time', 'session_id', 'created_at', 'expires_at', 'revoked_at', 'rotated_at', 'successor_box', 'family_expires_at',
] as const satisfies ReadonlyArray<keyof TokensTable>;

/** The bound values of token rows, in `TOKEN_COLUMNS` order, for the hand-written token SQL. */
export function tokenParameters(rows: TokensTable[]): unknown[] {
  return rows.flatMap((row) => TOKEN_COLUMNS.map((column) => row[column]));
}

/** Postgres column types of `tokens`, for the typed placeholders of an INSERT … SELECT (no target column types the values there). */
export const TOKEN_COLUMN_TYPES: Record<(typeof TOKEN_COLUMNS)[number], 'text' | 'bigint'> = {
  token_hash: 'text', kind: 'text', jti: 'text', client_id: 'text', user_id: 'text', grant_id: 'text', family_id: 'text',
  scopes: 'text', workspace_ids: 'text', resource: 'text', auth_time: 'bigint', session_id: 'text', created_at: 'bigint',
  expires_at: 'bigint', revoked_at: 'bigint', rotated_at: 'bigint', successor_box: 'text', family_expires_at: 'bigint',
};

export function tokenRow(token: TokenRecord): TokensTable {
  return {
    token_hash: token.tokenHash,
    kind: token.kind,
    jti: token.jti,
    client_id: token.clientId,
    user_id: token.userId,
    grant_id: token.grantId,
    family_id: token.familyId,
    scopes: JSON.stringify(token.scopes),
    workspace_ids: JSON.stringify(token.workspaceIds),
    resource: token.resource,
    auth_time: token.authTime,
    session_id: token.sessionId,
    created_at: token.createdAt,
    expires_at: token.expiresAt,
    revoked_at: token.revokedAt,
    rotated_at: token.rotatedAt,
    successor_box: token.successorBox,
    family_expires_at: token.familyExpiresAt,
  };
}

export function toToken(row: Selectable<TokensTable>): TokenRecord {
  return {
    tokenHash: row.token_hash,
    kind: parseTokenKind(row.kind),
    jti: row.jti,
    clientId: row.client_id,
    userId: row.user_id,
    grantId: row.grant_id,
    familyId: row.family_id,
    scopes: list(row.scopes),
    workspaceIds: list(row.workspace_ids),
    resource: row.resource,
    authTime: row.auth_time,
    sessionId: row.session_id,
    createdAt: row.created_at,
    expiresAt: row.expires_at,
    revokedAt: row.revoked_at,
    rotatedAt: row.rotated_at,
    successorBox: row.successor_box,
    familyExpiresAt: row.family_expires_at,
  };
}
