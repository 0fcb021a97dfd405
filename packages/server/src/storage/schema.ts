/**
 * Row types as stored. One definition serves SQLite and Postgres, so the types are the common
 * denominator: times are bigint Unix seconds, booleans are integer 0/1, lists are JSON text.
 */

/** 0 or 1. */
export type Flag = number;
/** A JSON array, as text. */
export type JsonList = string;

export interface UsersTable {
  id: string;
  username: string;
  /** Lower-cased username; its unique index makes names case-insensitively unique. */
  username_normalized: string;
  password_hash: string;
  email: string | null;
  email_verified: Flag;
  name: string | null;
  picture: string | null;
  is_admin: Flag;
  disabled_at: number | null;
  created_at: number;
  updated_at: number;
}

export interface WorkspacesTable {
  id: string;
  name: string;
  slug: string;
  created_at: number;
}

export interface WorkspaceMembersTable {
  workspace_id: string;
  user_id: string;
  role: string;
  joined_at: number;
}

export interface ScopesTable {
  name: string;
  description: string;
  requires_workspace: Flag;
  builtin: Flag;
}

export interface ClientsTable {
  id: string;
  name: string;
  description: string | null;
  homepage_url: string | null;
  logo_url: string | null;
  redirect_uris: JsonList;
  token_endpoint_auth_method: string;
  scopes: JsonList;
  grant_types: JsonList;
  visibility: string;
  owner_user_id: string | null;
  owner_workspace_id: string | null;
  access_token_ttl: number | null;
  refresh_token_ttl: number | null;
  id_token_signed_response_alg: string;
  access_token_format: string;
  verified: Flag;
  /** May introspect other clients' access tokens. */
  resource_server: Flag;
  created_at: number;
  updated_at: number;
}

export interface ClientSecretsTable {
  id: string;
  client_id: string;
  secret_hash: string;
  display_prefix: string;
  created_at: number;
  expires_at: number | null;
}

export interface SigningKeysTable {
  kid: string;
  alg: string;
  state: string;
  public_jwk: string;
  private_jwk: string;
  created_at: number;
  activated_at: number | null;
  retired_at: number | null;
}

export interface SessionsTable {
  id_hash: string;
  user_id: string;
  auth_time: number;
  created_at: number;
  expires_at: number;
}

export interface InteractionsTable {
  id_hash: string;
  client_id: string;
  request: string;
  created_at: number;
  expires_at: number;
}

export interface GrantsTable {
  id: string;
  user_id: string;
  client_id: string;
  scopes: JsonList;
  workspace_ids: JsonList;
  created_at: number;
  updated_at: number;
  last_used_at: number | null;
  revoked_at: number | null;
}

/** Sealed codes that were redeemed: what makes each single use, kept until it expires. */
export interface CodeRedemptionsTable {
  code_hash: string;
  expires_at: number;
  replayed_at: number | null;
}

export interface TokensTable {
  token_hash: string;
  kind: string;
  jti: string;
  client_id: string;
  user_id: string | null;
  grant_id: string | null;
  family_id: string;
  scopes: JsonList;
  workspace_ids: JsonList;
  resource: string | null;
  auth_time: number | null;
  session_id: string | null;
  created_at: number;
  expires_at: number;
  revoked_at: number | null;
  rotated_at: number | null;
  successor_box: string | null;
  family_expires_at: number | null;
}

export interface SettingsTable {
  name: string;
  value: string;
}

/** Revoked access tokens, families, grants, users and clients (subject `t:…`, `f:…`, `g:…`, `u:…`, `c:…`). */
export interface RevocationsTable {
  subject: string;
  revoked_at: number;
  expires_at: number;
}

export interface Database {
  users: UsersTable;
  workspaces: WorkspacesTable;
  workspace_members: WorkspaceMembersTable;
  scopes: ScopesTable;
  clients: ClientsTable;
  client_secrets: ClientSecretsTable;
  signing_keys: SigningKeysTable;
  sessions: SessionsTable;
  interactions: InteractionsTable;
  grants: GrantsTable;
  code_redemptions: CodeRedemptionsTable;
  tokens: TokensTable;
  revocations: RevocationsTable;
  settings: SettingsTable;
}
