/**
 * The initial schema. Written once for both dialects: `bigint` seconds, `integer` 0/1 flags,
 * JSON text lists and text ids mean the same thing to SQLite and Postgres.
 */
import { SqliteAdapter, sql, type Kysely, type Migration } from 'kysely';

/** The OpenID Connect standard scopes (OIDC Core §5.4) and `offline_access` (§11). */
export const builtinScopes = [
  { name: 'openid', description: 'Sign you in with your Gatehouse account' },
  { name: 'profile', description: 'See your name, username and profile picture' },
  { name: 'email', description: 'See your email address' },
  { name: 'offline_access', description: 'Stay connected to your account when you are not using the app' },
] as const;

export const initial: Migration = {
  // Kysely's schema builder is untyped by design for migrations: the schema is what is being built.
  async up(db: Kysely<any>): Promise<void> {
    const isSqlite = db.getExecutor().adapter instanceof SqliteAdapter;
    await db.schema
      .createTable('users')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('username', 'text', (c) => c.notNull())
      .addColumn('username_normalized', 'text', (c) => c.notNull().unique())
      .addColumn('password_hash', 'text', (c) => c.notNull())
      .addColumn('email', 'text')
      .addColumn('email_verified', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('name', 'text')
      .addColumn('picture', 'text')
      .addColumn('is_admin', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('disabled_at', 'bigint')
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addColumn('updated_at', 'bigint', (c) => c.notNull())
      .execute();

    await db.schema
      .createTable('workspaces')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('slug', 'text', (c) => c.notNull().unique())
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .execute();

    await db.schema
      .createTable('workspace_members')
      .addColumn('workspace_id', 'text', (c) => c.notNull().references('workspaces.id').onDelete('cascade'))
      .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
      .addColumn('role', 'text', (c) => c.notNull())
      .addColumn('joined_at', 'bigint', (c) => c.notNull())
      .addPrimaryKeyConstraint('workspace_members_pk', ['workspace_id', 'user_id'])
      .execute();
    await db.schema.createIndex('workspace_members_user').on('workspace_members').column('user_id').execute();

    await db.schema
      .createTable('scopes')
      .addColumn('name', 'text', (c) => c.primaryKey())
      .addColumn('description', 'text', (c) => c.notNull())
      .addColumn('requires_workspace', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('builtin', 'integer', (c) => c.notNull().defaultTo(0))
      .execute();

    await db.schema
      .createTable('clients')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('description', 'text')
      .addColumn('homepage_url', 'text')
      .addColumn('logo_url', 'text')
      .addColumn('redirect_uris', 'text', (c) => c.notNull())
      .addColumn('token_endpoint_auth_method', 'text', (c) => c.notNull())
      .addColumn('scopes', 'text', (c) => c.notNull())
      .addColumn('grant_types', 'text', (c) => c.notNull())
      .addColumn('visibility', 'text', (c) => c.notNull())
      .addColumn('owner_user_id', 'text')
      .addColumn('owner_workspace_id', 'text')
      .addColumn('access_token_ttl', 'bigint')
      .addColumn('refresh_token_ttl', 'bigint')
      .addColumn('id_token_signed_response_alg', 'text', (c) => c.notNull())
      .addColumn('access_token_format', 'text', (c) => c.notNull())
      .addColumn('verified', 'integer', (c) => c.notNull().defaultTo(0))
      // May introspect access tokens issued to other clients (RFC 7662 §2.2, §4); every other
      // client learns about its own tokens only.
      .addColumn('resource_server', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addColumn('updated_at', 'bigint', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('clients_owner_user').on('clients').column('owner_user_id').execute();
    await db.schema.createIndex('clients_owner_workspace').on('clients').column('owner_workspace_id').execute();

    await db.schema
      .createTable('client_secrets')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('client_id', 'text', (c) => c.notNull().references('clients.id').onDelete('cascade'))
      .addColumn('secret_hash', 'text', (c) => c.notNull().unique())
      .addColumn('display_prefix', 'text', (c) => c.notNull())
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addColumn('expires_at', 'bigint')
      .execute();
    await db.schema.createIndex('client_secrets_client').on('client_secrets').column('client_id').execute();

    await db.schema
      .createTable('signing_keys')
      .addColumn('kid', 'text', (c) => c.primaryKey())
      .addColumn('alg', 'text', (c) => c.notNull())
      .addColumn('state', 'text', (c) => c.notNull())
      .addColumn('public_jwk', 'text', (c) => c.notNull())
      .addColumn('private_jwk', 'text', (c) => c.notNull())
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addColumn('activated_at', 'bigint')
      .addColumn('retired_at', 'bigint')
      .execute();
    // At most one current and one next key per algorithm, whichever instance creates them first.
    for (const state of ['current', 'next'] as const) {
      await db.schema
        .createIndex(`signing_keys_one_${state}`)
        .on('signing_keys')
        .column('alg')
        .unique()
        .where(sql.ref('state'), '=', state)
        .execute();
    }

    await db.schema
      .createTable('sessions')
      .addColumn('id_hash', 'text', (c) => c.primaryKey())
      .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
      .addColumn('auth_time', 'bigint', (c) => c.notNull())
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addColumn('expires_at', 'bigint', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('sessions_user').on('sessions').column('user_id').execute();
    await db.schema.createIndex('sessions_expires').on('sessions').column('expires_at').execute();

    await db.schema
      .createTable('interactions')
      .addColumn('id_hash', 'text', (c) => c.primaryKey())
      .addColumn('client_id', 'text', (c) => c.notNull())
      .addColumn('request', 'text', (c) => c.notNull())
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addColumn('expires_at', 'bigint', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('interactions_expires').on('interactions').column('expires_at').execute();

    await db.schema
      .createTable('grants')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
      .addColumn('client_id', 'text', (c) => c.notNull().references('clients.id').onDelete('cascade'))
      .addColumn('scopes', 'text', (c) => c.notNull())
      .addColumn('workspace_ids', 'text', (c) => c.notNull())
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addColumn('updated_at', 'bigint', (c) => c.notNull())
      .addColumn('last_used_at', 'bigint')
      .addColumn('revoked_at', 'bigint')
      .execute();
    // One live consent per user and client; revoked ones stay for the record. saveGrant's
    // ON CONFLICT names this index's columns and predicate.
    await db.schema
      .createIndex('grants_live_user_client')
      .on('grants')
      .columns(['user_id', 'client_id'])
      .unique()
      .where(sql.ref('revoked_at'), 'is', null)
      .execute();
    await db.schema.createIndex('grants_user').on('grants').column('user_id').execute();
    await db.schema.createIndex('grants_client').on('grants').column('client_id').execute();

    // Codes are sealed (core/tokens/sealed-code.ts), so none is stored when it is issued. What
    // makes one single use is this row, written by its first redemption and marked when the code
    // is presented again (RFC 6749 §4.1.2), kept until the code expires.
    await db.schema
      .createTable('code_redemptions')
      .addColumn('code_hash', 'text', (c) => c.primaryKey())
      .addColumn('expires_at', 'bigint', (c) => c.notNull())
      .addColumn('replayed_at', 'bigint')
      .$call((builder) => (isSqlite ? builder.modifyEnd(sql`without rowid`) : builder))
      .execute();
    await db.schema.createIndex('code_redemptions_expires_at').on('code_redemptions').column('expires_at').execute();

    await db.schema
      .createTable('tokens')
      .addColumn('token_hash', 'text', (c) => c.primaryKey())
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('jti', 'text', (c) => c.notNull())
      .addColumn('client_id', 'text', (c) => c.notNull().references('clients.id').onDelete('cascade'))
      .addColumn('user_id', 'text', (c) => c.references('users.id').onDelete('cascade'))
      .addColumn('grant_id', 'text')
      .addColumn('family_id', 'text', (c) => c.notNull())
      .addColumn('scopes', 'text', (c) => c.notNull())
      .addColumn('workspace_ids', 'text', (c) => c.notNull())
      .addColumn('resource', 'text')
      .addColumn('auth_time', 'bigint')
      .addColumn('session_id', 'text')
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addColumn('expires_at', 'bigint', (c) => c.notNull())
      .addColumn('revoked_at', 'bigint')
      .addColumn('rotated_at', 'bigint')
      .addColumn('successor_box', 'text')
      .addColumn('family_expires_at', 'bigint')
      // SQLite: the hash is the clustered key, one B-tree fewer to write per token (the token insert is the hot write).
      .$call((builder) => (isSqlite ? builder.modifyEnd(sql`without rowid`) : builder))
      .execute();
    // Every index is written on every token insert, the hottest write. Revocation by family and by
    // grant and the purge need theirs; deleting an app or a user, or disabling a user, is rare
    // enough to scan for its tokens.
    for (const column of ['family_id', 'grant_id', 'expires_at']) {
      await db.schema.createIndex(`tokens_${column}`).on('tokens').column(column).execute();
    }

    // Opaque access tokens are sealed, so none is stored; their revocation is listed here instead:
    // one row per revoked token, family, grant, user or client, kept until every access token it
    // could cover has expired anyway.
    await db.schema
      .createTable('revocations')
      .addColumn('subject', 'text', (c) => c.primaryKey())
      .addColumn('revoked_at', 'bigint', (c) => c.notNull())
      .addColumn('expires_at', 'bigint', (c) => c.notNull())
      .$call((builder) => (isSqlite ? builder.modifyEnd(sql`without rowid`) : builder))
      .execute();
    await db.schema.createIndex('revocations_expires_at').on('revocations').column('expires_at').execute();

    await db.schema
      .createTable('settings')
      .addColumn('name', 'text', (c) => c.primaryKey())
      .addColumn('value', 'text', (c) => c.notNull())
      .execute();

    await db
      .insertInto('scopes')
      .values(builtinScopes.map((s) => ({ name: s.name, description: s.description, requires_workspace: 0, builtin: 1 })))
      .execute();
  },

  async down(db: Kysely<any>): Promise<void> {
    for (const table of [
      'settings',
      'revocations',
      'tokens',
      'code_redemptions',
      'grants',
      'interactions',
      'sessions',
      'signing_keys',
      'client_secrets',
      'clients',
      'scopes',
      'workspace_members',
      'workspaces',
      'users',
    ]) {
      await db.schema.dropTable(table).execute();
    }
  },
};
