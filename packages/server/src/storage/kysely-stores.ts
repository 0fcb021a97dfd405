/**
 * The one `Stores` implementation, on Kysely, for SQLite and Postgres.
 *
 * Every race the protocol cares about (code redemption, refresh rotation, consent, key bootstrap)
 * is settled by a single conditional statement or a unique index, never by read-then-write in
 * application code, so it holds across server processes sharing one Postgres. SQLite installs are
 * single-process; Kysely's SQLite driver runs one statement or transaction at a time.
 */
import { randomUUID } from 'node:crypto';
import { CompiledQuery, sql, type Kysely, type Selectable } from 'kysely';
import { ACCESS_TOKEN_TTL_MAX } from '../core/config.js';
import { ConflictError, NotFoundError } from '../core/errors.js';
import { isLiveGrant, revocationSubject } from '../core/stores.js';
import type { Client, ClientSecret, Grant, Interaction, Scope, Session, SigningAlg, SigningKey, TokenRecord, User, Workspace, WorkspaceMember, WorkspaceMembership, WorkspaceRole } from '../core/model.js';
import type { ClientPatch, CodeRedemption, GrantHolders, NewClient, NewUser, PurgeReport, RotationOutcome, Stores, UserPatch } from '../core/stores.js';
import type { Dialect } from './database.js';
import { KyselyExecutor } from './executor.js';
import { normalizeUsername, nowSeconds, flag, list, escapeLike, toUser, toWorkspace, scopeRow, toScope, clientColumns, clientRow, toClient, secretRow, toSecret, keyRow, toKey, toSession, toInteraction, toGrant, USER_COLUMNS, USER_SELECT, USER_ALIASES, HOLDER_COLUMNS, joinedUser, toHolders, TOKEN_COLUMNS, tokenParameters, TOKEN_COLUMN_TYPES, tokenRow, toToken, type UserRow } from './rows.js';
import { isUniqueViolation, missingClientOr } from './sql-errors.js';
import { revokeSubjectIn, revokeTokensWhere, revocationProbe, rotateSql, redeemAndStoreSql } from './statements.js';
import type { ClientsTable, Database, GrantsTable, SessionsTable, TokensTable, UsersTable, WorkspacesTable } from './schema.js';

export interface StoresHandle {
  db: Kysely<Database>;
  dialect: Dialect;
  /** Closes the underlying connection(s); `db.destroy()` when absent. */
  close?: () => Promise<void>;
}

const DEFAULT_LIST_LIMIT = 100;

export class KyselyStores implements Stores {
  readonly db: Kysely<Database>;
  readonly dialect: Dialect;
  readonly #close: () => Promise<void>;
  private readonly x: KyselyExecutor;

  /**
   * Client authentication reads the client and its secrets on every token, introspection and
   * revocation request. They are kept in memory for `clientCacheMs`: writes through this instance
   * take effect at once, writes by another instance or the CLI within that time.
   */
  private readonly clientCache = new Map<string, { client: Client; secrets?: ClientSecret[]; until: number }>();
  private readonly clientCacheMs: number;

  constructor(handle: StoresHandle, options: { clientCacheMs?: number } = {}) {
    this.clientCacheMs = options.clientCacheMs ?? 2000;
    this.db = handle.db;
    this.dialect = handle.dialect;
    this.#close = handle.close ?? (() => handle.db.destroy());
    this.x = new KyselyExecutor(handle.db, handle.dialect);
    const db = this.db;
    this.hot = {
      tokenByHash: this.x.prepared(db.selectFrom('tokens').selectAll().where('token_hash', '=', '')),
      userById: this.x.prepared(db.selectFrom('users').select(USER_COLUMNS).where('id', '=', '')),
      grantById: this.x.prepared(db.selectFrom('grants').selectAll().where('id', '=', '')),
      liveGrant: this.x.prepared(db.selectFrom('grants').selectAll().where('user_id', '=', '').where('client_id', '=', '').where('revoked_at', 'is', null)),
    };
  }

  /**
   * The point queries of the sign-in and token paths, built and compiled by Kysely once: building
   * and compiling a query costs more than running it. Each call binds new values to the compiled
   * SQL, in the order the builder placed them (the placeholder values above are never sent).
   */
  private readonly hot: {
    tokenByHash: (tokenHash: string) => Promise<Selectable<TokensTable>[]>;
    userById: (id: string) => Promise<UserRow[]>;
    grantById: (id: string) => Promise<Selectable<GrantsTable>[]>;
    liveGrant: (userId: string, clientId: string) => Promise<Selectable<GrantsTable>[]>;
  };

  async ping(): Promise<void> {
    await sql`select 1`.execute(this.db);
  }

  close(): Promise<void> {
    return this.#close();
  }

  // Users

  /** Accepts a caller-chosen `id` (imports, fixtures); otherwise a random UUID. */
  async createUser(input: NewUser & { id?: string }): Promise<User> {
    const now = nowSeconds();
    const row: UsersTable = {
      id: input.id ?? randomUUID(),
      username: input.username,
      username_normalized: normalizeUsername(input.username),
      password_hash: input.passwordHash,
      email: input.email ?? null,
      email_verified: flag(input.emailVerified ?? false),
      name: input.name ?? null,
      picture: input.picture ?? null,
      is_admin: flag(input.isAdmin ?? false),
      disabled_at: null,
      created_at: now,
      updated_at: now,
    };
    try {
      await this.db.insertInto('users').values(row).execute();
    } catch (error) {
      if (isUniqueViolation(error, { table: 'users', column: 'username_normalized' })) throw new ConflictError('username', 'username is taken');
      throw error;
    }
    return toUser(row);
  }

  async findUserById(id: string): Promise<User | undefined> {
    const [row] = await this.hot.userById(id);
    return row && toUser(row);
  }

  async findUserByUsername(username: string): Promise<User | undefined> {
    const row = await this.db
      .selectFrom('users')
      .select(USER_COLUMNS)
      .where('username_normalized', '=', normalizeUsername(username))
      .executeTakeFirst();
    return row && toUser(row);
  }

  /** The only read that carries the password hash. */
  async findCredentials(username: string): Promise<{ user: User; passwordHash: string } | undefined> {
    const row = await this.db
      .selectFrom('users')
      .selectAll()
      .where('username_normalized', '=', normalizeUsername(username))
      .executeTakeFirst();
    return row && { user: toUser(row), passwordHash: row.password_hash };
  }

  /** `search` matches username, email or name, case-insensitively, anywhere in the text. */
  async listUsers(query: { search?: string; limit?: number; offset?: number } = {}): Promise<User[]> {
    let q = this.db.selectFrom('users').select(USER_COLUMNS);
    if (query.search) {
      const pattern = `%${escapeLike(query.search.toLowerCase())}%`;
      q = q.where((eb) =>
        eb.or([
          sql<boolean>`${eb.ref('username_normalized')} like ${pattern} escape '\\'`,
          sql<boolean>`lower(${eb.ref('email')}) like ${pattern} escape '\\'`,
          sql<boolean>`lower(${eb.ref('name')}) like ${pattern} escape '\\'`,
        ]),
      );
    }
    const rows = await q
      .orderBy('username_normalized')
      .limit(query.limit ?? DEFAULT_LIST_LIMIT)
      .offset(query.offset ?? 0)
      .execute();
    return rows.map(toUser);
  }

  async countUsers(): Promise<number> {
    const row = await this.db
      .selectFrom('users')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    return Number(row.n);
  }

  async updateUser(id: string, patch: UserPatch): Promise<User | undefined> {
    const set: Partial<UsersTable> = { updated_at: nowSeconds() };
    if (patch.email !== undefined) set.email = patch.email;
    if (patch.emailVerified !== undefined) set.email_verified = flag(patch.emailVerified);
    if (patch.name !== undefined) set.name = patch.name;
    if (patch.picture !== undefined) set.picture = patch.picture;
    if (patch.passwordHash !== undefined) set.password_hash = patch.passwordHash;
    if (patch.isAdmin !== undefined) set.is_admin = flag(patch.isAdmin);
    if (patch.disabledAt !== undefined) set.disabled_at = patch.disabledAt;
    const row = await this.db.updateTable('users').set(set).where('id', '=', id).returning(USER_COLUMNS).executeTakeFirst();
    return row && toUser(row);
  }

  // Workspaces

  async createWorkspace(input: { id?: string; name: string; slug: string; ownerUserId: string }): Promise<Workspace> {
    const row: WorkspacesTable = { id: input.id ?? randomUUID(), name: input.name, slug: input.slug, created_at: nowSeconds() };
    try {
      await this.db.transaction().execute(async (trx) => {
        await trx.insertInto('workspaces').values(row).execute();
        await trx
          .insertInto('workspace_members')
          .values({ workspace_id: row.id, user_id: input.ownerUserId, role: 'owner', joined_at: row.created_at })
          .execute();
      });
    } catch (error) {
      if (isUniqueViolation(error, { table: 'workspaces', column: 'slug' })) throw new ConflictError('slug', 'slug is taken');
      throw error;
    }
    return toWorkspace(row);
  }

  async findWorkspaceById(id: string): Promise<Workspace | undefined> {
    const row = await this.db.selectFrom('workspaces').selectAll().where('id', '=', id).executeTakeFirst();
    return row && toWorkspace(row);
  }

  async findWorkspaceBySlug(slug: string): Promise<Workspace | undefined> {
    const row = await this.db.selectFrom('workspaces').selectAll().where('slug', '=', slug).executeTakeFirst();
    return row && toWorkspace(row);
  }

  async findWorkspacesByIds(ids: readonly string[]): Promise<Workspace[]> {
    if (ids.length === 0) return [];
    const rows = await this.db.selectFrom('workspaces').selectAll().where('id', 'in', [...ids]).orderBy('name').execute();
    return rows.map(toWorkspace);
  }

  async listWorkspacesForUser(userId: string): Promise<WorkspaceMembership[]> {
    const rows = await this.db
      .selectFrom('workspace_members as m')
      .innerJoin('workspaces as w', 'w.id', 'm.workspace_id')
      .selectAll('w')
      .select('m.role')
      .where('m.user_id', '=', userId)
      .orderBy('w.name')
      .execute();
    return rows.map((row) => ({ ...toWorkspace(row), role: row.role as WorkspaceRole }));
  }

  async listMembers(workspaceId: string): Promise<WorkspaceMember[]> {
    const rows = await this.db
      .selectFrom('workspace_members as m')
      .innerJoin('users as u', 'u.id', 'm.user_id')
      .select(['m.user_id', 'u.username', 'u.name', 'm.role', 'm.joined_at'])
      .where('m.workspace_id', '=', workspaceId)
      .orderBy('u.username_normalized')
      .execute();
    return rows.map((row) => ({
      userId: row.user_id,
      username: row.username,
      name: row.name,
      role: row.role as WorkspaceRole,
      joinedAt: row.joined_at,
    }));
  }

  async setMember(workspaceId: string, userId: string, role: WorkspaceRole): Promise<void> {
    await this.db
      .insertInto('workspace_members')
      .values({ workspace_id: workspaceId, user_id: userId, role, joined_at: nowSeconds() })
      .onConflict((oc) => oc.columns(['workspace_id', 'user_id']).doUpdateSet({ role }))
      .execute();
  }

  async removeMember(workspaceId: string, userId: string): Promise<void> {
    await this.db
      .deleteFrom('workspace_members')
      .where('workspace_id', '=', workspaceId)
      .where('user_id', '=', userId)
      .execute();
  }

  async findMembership(workspaceId: string, userId: string): Promise<WorkspaceRole | undefined> {
    const row = await this.db
      .selectFrom('workspace_members')
      .select('role')
      .where('workspace_id', '=', workspaceId)
      .where('user_id', '=', userId)
      .executeTakeFirst();
    return row?.role as WorkspaceRole | undefined;
  }

  // Scopes

  async createScope(scope: Scope): Promise<Scope> {
    try {
      await this.db.insertInto('scopes').values(scopeRow(scope)).execute();
    } catch (error) {
      if (isUniqueViolation(error, { table: 'scopes', column: 'name', primaryKey: true })) throw new ConflictError('name', `scope "${scope.name}" already exists`);
      throw error;
    }
    this.scopeCatalogue = undefined;
    return { ...scope };
  }

  /** An existing scope keeps its `builtin` mark; only description and `requiresWorkspace` change. */
  async upsertScope(scope: Scope): Promise<{ created: boolean }> {
    const inserted = await this.db
      .insertInto('scopes')
      .values(scopeRow(scope))
      .onConflict((oc) => oc.column('name').doNothing())
      .returning('name')
      .executeTakeFirst();
    if (inserted) {
      this.scopeCatalogue = undefined;
      return { created: true };
    }
    await this.db
      .updateTable('scopes')
      .set({ description: scope.description, requires_workspace: flag(scope.requiresWorkspace) })
      .where('name', '=', scope.name)
      .execute();
    this.scopeCatalogue = undefined;
    return { created: false };
  }

  async listScopes(): Promise<Scope[]> {
    const rows = await this.db.selectFrom('scopes').selectAll().orderBy('name').execute();
    return rows.map(toScope);
  }

  private scopeCatalogue: { byName: Map<string, Scope>; until: number } | undefined;

  /**
   * Hot path (every authorization request): answered from the whole catalogue, kept in memory for
   * `clientCacheMs` like clients (this instance's own writes clear it; another instance's are seen
   * within that time). The catalogue is small and changes rarely.
   */
  async findScopes(names: readonly string[]): Promise<Scope[]> {
    if (names.length === 0) return [];
    let catalogue = this.scopeCatalogue;
    if (!catalogue || catalogue.until <= Date.now()) {
      const all = await this.listScopes();
      catalogue = { byName: new Map(all.map((scope) => [scope.name, scope])), until: Date.now() + this.clientCacheMs };
      if (this.clientCacheMs > 0) this.scopeCatalogue = catalogue;
    }
    const found: Scope[] = [];
    for (const name of new Set(names)) {
      const scope = catalogue.byName.get(name);
      if (scope) found.push({ ...scope });
    }
    return found.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }

  async deleteScope(name: string): Promise<boolean> {
    const result = await this.db.deleteFrom('scopes').where('name', '=', name).executeTakeFirst();
    this.scopeCatalogue = undefined;
    return result.numDeletedRows > 0n;
  }

  // Clients

  async createClient(client: NewClient, secret?: Omit<ClientSecret, 'clientId'>): Promise<Client> {
    const now = nowSeconds();
    const row = clientRow(client, now);
    try {
      await this.db.transaction().execute(async (trx) => {
        await trx.insertInto('clients').values(row).execute();
        if (secret) await trx.insertInto('client_secrets').values(secretRow({ ...secret, clientId: client.id })).execute();
      });
    } catch (error) {
      if (isUniqueViolation(error, { table: 'clients', column: 'id', primaryKey: true })) throw new ConflictError('client_id', 'client id is taken');
      throw error;
    }
    return toClient(row);
  }

  async findClient(id: string): Promise<Client | undefined> {
    const cached = this.cachedClient(id);
    if (cached) return cached.client;
    const row = await this.db.selectFrom('clients').selectAll().where('id', '=', id).executeTakeFirst();
    const client = row && toClient(row);
    // Unknown ids are not remembered: a client created elsewhere must be usable at once.
    if (client && this.clientCacheMs > 0) {
      if (this.clientCache.size >= 10_000) this.clientCache.clear();
      this.clientCache.set(id, { client, until: Date.now() + this.clientCacheMs });
    }
    return client;
  }

  private cachedClient(id: string) {
    const entry = this.clientCache.get(id);
    if (entry && entry.until > Date.now()) return entry;
    if (entry) this.clientCache.delete(id);
    return undefined;
  }

  private forgetClient(id: string): void {
    this.clientCache.delete(id);
  }

  /**
   * `ownerUserId` and `ownerWorkspaceIds` together select the clients someone can manage: theirs
   * OR their workspaces'. `visibility` narrows the result further. No filter lists every client.
   */
  async listClients(
    query: { ownerUserId?: string; ownerWorkspaceIds?: readonly string[]; visibility?: Client['visibility'] } = {},
  ): Promise<Client[]> {
    let q = this.db.selectFrom('clients').selectAll();
    const { ownerUserId, ownerWorkspaceIds, visibility } = query;
    if (ownerUserId !== undefined || ownerWorkspaceIds !== undefined) {
      q = q.where((eb) => {
        const owners = [];
        if (ownerUserId !== undefined) owners.push(eb('owner_user_id', '=', ownerUserId));
        if (ownerWorkspaceIds !== undefined && ownerWorkspaceIds.length > 0) {
          owners.push(eb('owner_workspace_id', 'in', [...ownerWorkspaceIds]));
        }
        return eb.or(owners);
      });
    }
    if (visibility !== undefined) q = q.where('visibility', '=', visibility);
    const rows = await q.orderBy('created_at').orderBy('id').execute();
    return rows.map(toClient);
  }

  async updateClient(id: string, patch: ClientPatch): Promise<Client | undefined> {
    const set: Partial<ClientsTable> = { ...clientColumns(patch), updated_at: nowSeconds() };
    if (patch.verified !== undefined) set.verified = flag(patch.verified);
    if (patch.resourceServer !== undefined) set.resource_server = flag(patch.resourceServer);
    // Forgotten before and after: a read racing the write must not re-cache the old row.
    this.forgetClient(id);
    const row = await this.db.updateTable('clients').set(set).where('id', '=', id).returningAll().executeTakeFirst();
    this.forgetClient(id);
    return row && toClient(row);
  }

  /** Secrets, grants and tokens go with it through ON DELETE CASCADE. */
  async deleteClient(id: string, now: number): Promise<boolean> {
    this.forgetClient(id);
    const result = await this.db.transaction().execute(async (trx) => {
      // Its sealed access tokens are stored nowhere: list the client as revoked so they die with it.
      await revokeSubjectIn(trx, revocationSubject.client(id), now, now + ACCESS_TOKEN_TTL_MAX);
      return trx.deleteFrom('clients').where('id', '=', id).executeTakeFirst();
    });
    this.forgetClient(id);
    return result.numDeletedRows > 0n;
  }

  async listActiveSecrets(clientId: string, now: number): Promise<ClientSecret[]> {
    const cached = this.cachedClient(clientId);
    if (cached?.secrets) return cached.secrets.filter((secret) => secret.expiresAt === null || secret.expiresAt > now);
    const secrets = await this.querySecrets(clientId, now);
    if (cached) cached.secrets = secrets;
    return secrets;
  }

  private async querySecrets(clientId: string, now: number): Promise<ClientSecret[]> {
    const rows = await this.db
      .selectFrom('client_secrets')
      .selectAll()
      .where('client_id', '=', clientId)
      .where((eb) => eb.or([eb('expires_at', 'is', null), eb('expires_at', '>', now)]))
      .orderBy('created_at', 'desc')
      .execute();
    return rows.map(toSecret);
  }

  async rotateSecret(clientId: string, secret: Omit<ClientSecret, 'clientId'>, graceUntil: number): Promise<void> {
    this.forgetClient(clientId);
    await this.db.transaction().execute(async (trx) => {
      await trx
        .updateTable('client_secrets')
        .set({ expires_at: graceUntil })
        .where('client_id', '=', clientId)
        .where((eb) => eb.or([eb('expires_at', 'is', null), eb('expires_at', '>', graceUntil)]))
        .execute();
      await trx.insertInto('client_secrets').values(secretRow({ ...secret, clientId })).execute();
    });
    this.forgetClient(clientId);
  }

  async countGrants(clientId: string): Promise<number> {
    const row = await this.db
      .selectFrom('grants')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('client_id', '=', clientId)
      .where('revoked_at', 'is', null)
      .executeTakeFirstOrThrow();
    return Number(row.n);
  }

  // Signing keys

  async listKeys(): Promise<SigningKey[]> {
    const rows = await this.db.selectFrom('signing_keys').selectAll().orderBy('created_at').orderBy('kid').execute();
    return rows.map(toKey);
  }

  /** The partial unique indexes (one current, one next per alg) decide between racing instances. */
  async insertKeys(keys: SigningKey[]): Promise<number> {
    if (keys.length === 0) return 0;
    const inserted = await this.db
      .insertInto('signing_keys')
      .values(keys.map(keyRow))
      .onConflict((oc) => oc.doNothing())
      .returning('kid')
      .execute();
    return inserted.length;
  }

  async rotateKeys(alg: SigningAlg, newNext: SigningKey, now: number): Promise<boolean> {
    try {
      return await this.db.transaction().execute(async (trx) => {
        let q = trx
          .selectFrom('signing_keys')
          .select(['kid', 'state'])
          .where('alg', '=', alg)
          .where('state', 'in', ['current', 'next']);
        // A concurrent rotation waits here and then sees the committed states: no `next` left
        // (the new one is not in its snapshot), so it reports false instead of rotating twice.
        if (this.dialect === 'postgres') q = q.forUpdate();
        const rows = await q.execute();
        const current = rows.find((r) => r.state === 'current');
        const next = rows.find((r) => r.state === 'next');
        if (!next) return false;
        if (current) {
          await trx.updateTable('signing_keys').set({ state: 'retired', retired_at: now }).where('kid', '=', current.kid).execute();
        }
        await trx.updateTable('signing_keys').set({ state: 'current', activated_at: now }).where('kid', '=', next.kid).execute();
        await trx.insertInto('signing_keys').values(keyRow({ ...newNext, alg, state: 'next' })).execute();
        return true;
      });
    } catch (error) {
      if (isUniqueViolation(error)) return false;
      throw error;
    }
  }

  async replacePrivateKey(kid: string, expected: string, privateJwk: string): Promise<boolean> {
    const result = await this.db
      .updateTable('signing_keys')
      .set({ private_jwk: privateJwk })
      .where('kid', '=', kid)
      .where('private_jwk', '=', expected)
      .executeTakeFirst();
    return Number(result.numUpdatedRows) === 1;
  }

  /**
   * An UPDATE leaves the old value in the database files: in the page's free space and the WAL on
   * SQLite, as a dead tuple on Postgres. SQLite: VACUUM rewrites the file without them and a
   * TRUNCATE checkpoint empties the WAL; Postgres: VACUUM FULL rewrites the two tables into new files.
   */
  async eraseReplacedKeys(): Promise<void> {
    if (this.dialect === 'sqlite') {
      await sql`pragma wal_checkpoint(truncate)`.execute(this.db);
      await sql`vacuum`.execute(this.db);
      await sql`pragma wal_checkpoint(truncate)`.execute(this.db);
    } else {
      await sql`vacuum full signing_keys`.execute(this.db);
      await sql`vacuum full settings`.execute(this.db);
    }
  }

  async deleteRetiredBefore(time: number): Promise<number> {
    const result = await this.db
      .deleteFrom('signing_keys')
      .where('state', '=', 'retired')
      .where('retired_at', '<', time)
      .executeTakeFirst();
    return Number(result.numDeletedRows);
  }

  // Sessions

  async createSession(session: Session): Promise<void> {
    await this.db
      .insertInto('sessions')
      .values({
        id_hash: session.idHash,
        user_id: session.userId,
        auth_time: session.authTime,
        created_at: session.createdAt,
        expires_at: session.expiresAt,
      })
      .execute();
  }

  async findSessionWithUser(idHash: string, now: number): Promise<{ session: Session; user: User } | undefined> {
    const text = this.x.sqlText(
      'session-with-user',
      (mark) =>
        `select sessions.*, ${USER_ALIASES} from sessions join users on users.id = sessions.user_id ` +
        `where sessions.id_hash = ${mark(0)} and sessions.expires_at > ${mark(1)}`,
    );
    const [row] = (await this.db.executeQuery<Selectable<SessionsTable>>(CompiledQuery.raw(text, [idHash, now]))).rows;
    const user = row && joinedUser(row);
    return row && user && { session: toSession(row), user };
  }

  async deleteSession(idHash: string): Promise<void> {
    await this.db.deleteFrom('sessions').where('id_hash', '=', idHash).execute();
  }

  async deleteSessionsForUser(userId: string): Promise<void> {
    await this.db.deleteFrom('sessions').where('user_id', '=', userId).execute();
  }

  // Interactions

  async createInteraction(interaction: Interaction): Promise<void> {
    await this.db
      .insertInto('interactions')
      .values({
        id_hash: interaction.idHash,
        client_id: interaction.clientId,
        request: interaction.request,
        created_at: interaction.createdAt,
        expires_at: interaction.expiresAt,
      })
      .execute();
  }

  async findInteraction(idHash: string, now: number): Promise<Interaction | undefined> {
    const row = await this.db
      .selectFrom('interactions')
      .selectAll()
      .where('id_hash', '=', idHash)
      .where('expires_at', '>', now)
      .executeTakeFirst();
    return row && toInteraction(row);
  }

  /** One DELETE … RETURNING: of two racing callers, only the one whose delete hit the row gets it. */
  async consumeInteraction(idHash: string, now: number): Promise<Interaction | undefined> {
    const row = await this.db
      .deleteFrom('interactions')
      .where('id_hash', '=', idHash)
      .where('expires_at', '>', now)
      .returningAll()
      .executeTakeFirst();
    return row && toInteraction(row);
  }

  // Grants

  async findGrant(userId: string, clientId: string): Promise<Grant | undefined> {
    const [row] = await this.hot.liveGrant(userId, clientId);
    return row && toGrant(row);
  }

  async findGrantById(id: string): Promise<Grant | undefined> {
    const [row] = await this.hot.grantById(id);
    return row && toGrant(row);
  }

  /** The user and grant behind a code, on SQLite, which cannot read them in the statement that redeems it. */
  private async findHolders(userId: string, grantId: string, executor: Kysely<Database> = this.db): Promise<GrantHolders> {
    const text = this.x.sqlText(
      'holders',
      (mark) => `select ${HOLDER_COLUMNS} from (select 1 as one) as probe left join users on users.id = ${mark(0)} left join grants on grants.id = ${mark(1)}`,
    );
    return toHolders((await executor.executeQuery<Record<string, unknown>>(CompiledQuery.raw(text, [userId, grantId]))).rows[0]!);
  }

  /**
   * INSERT … ON CONFLICT on the live-grant partial index: the database, not the caller, decides
   * whether a live grant exists, so parallel consents converge on one row (which keeps its id).
   */
  async saveGrant(input: { id: string; userId: string; clientId: string; scopes: string[]; workspaceIds: string[]; now: number }): Promise<Grant> {
    const row = await this.db
      .insertInto('grants')
      .values({
        id: input.id || randomUUID(),
        user_id: input.userId,
        client_id: input.clientId,
        scopes: JSON.stringify(input.scopes),
        workspace_ids: JSON.stringify(input.workspaceIds),
        created_at: input.now,
        updated_at: input.now,
        last_used_at: null,
        revoked_at: null,
      })
      .onConflict((oc) =>
        oc
          .columns(['user_id', 'client_id'])
          .where('revoked_at', 'is', null)
          .doUpdateSet((eb) => ({
            scopes: eb.ref('excluded.scopes'),
            workspace_ids: eb.ref('excluded.workspace_ids'),
            updated_at: eb.ref('excluded.updated_at'),
          })),
      )
      .returningAll()
      .executeTakeFirstOrThrow();
    return toGrant(row);
  }

  /** Live grants only: revoked ones are history, not connected apps. */
  async listGrantsForUser(userId: string): Promise<Grant[]> {
    const rows = await this.db
      .selectFrom('grants')
      .selectAll()
      .where('user_id', '=', userId)
      .where('revoked_at', 'is', null)
      .orderBy('updated_at', 'desc')
      .orderBy('id')
      .execute();
    return rows.map(toGrant);
  }

  async listGrantsForClient(clientId: string): Promise<Grant[]> {
    const rows = await this.db.selectFrom('grants').selectAll().where('client_id', '=', clientId).where('revoked_at', 'is', null).orderBy('id').execute();
    return rows.map(toGrant);
  }

  async touchGrant(id: string, now: number): Promise<void> {
    await this.db.updateTable('grants').set({ last_used_at: now }).where('id', '=', id).execute();
  }

  /** True when this call revoked it; false when it was unknown or already revoked. */
  async revokeGrant(id: string, now: number): Promise<boolean> {
    return this.db.transaction().execute(async (trx) => {
      const result = await trx
        .updateTable('grants')
        .set({ revoked_at: now })
        .where('id', '=', id)
        .where('revoked_at', 'is', null)
        .executeTakeFirst();
      await revokeTokensWhere(trx, 'grant_id', id, now);
      await revokeSubjectIn(trx, revocationSubject.grant(id), now, now + ACCESS_TOKEN_TTL_MAX);
      return result.numUpdatedRows > 0n;
    });
  }

  // Authorization codes

  async redeemCode(
    code: { codeHash: string; userId: string; grantId: string; expiresAt: number },
    now: number,
    tokens: TokenRecord[] = [],
  ): Promise<CodeRedemption> {
    // The first redemption inserts the row; any later one finds it and marks the replay, so the
    // engine can revoke a replayed code's tokens (RFC 9700 §4.2.4). `replayed_at` comes back null
    // only to the first.
    const redeem = (mark: (index: number) => string) =>
      `insert into code_redemptions (code_hash, expires_at) values (${mark(0)}, ${mark(1)}) ` +
      `on conflict (code_hash) do update set replayed_at = coalesce(code_redemptions.replayed_at, ${mark(2)}) returning replayed_at`;
    const parameters = [code.codeHash, code.expiresAt, now];
    const rows = tokens.map(tokenRow);
    if (this.dialect === 'postgres') {
      const text = this.x.sqlText(`redeem-code-storing:${rows.length}`, (mark) => redeemAndStoreSql(redeem, mark, rows.length));
      try {
        const [row] = (await this.db.executeQuery<{ replayed_at: number | null }>(CompiledQuery.raw(text, [...parameters, code.userId, code.grantId, ...tokenParameters(rows)]))).rows;
        return row!.replayed_at === null ? { status: 'redeemed', ...toHolders(row!) } : { status: 'replayed' };
      } catch (error) {
        throw missingClientOr(error);
      }
    }
    // SQLite has one writer: nothing can revoke or disable between these statements.
    const text = this.x.sqlText('redeem-code', redeem);
    return this.x.grouped(async (trx) => {
      const [row] = (await trx.executeQuery<{ replayed_at: number | null }>(CompiledQuery.raw(text, parameters))).rows;
      if (row!.replayed_at !== null) return { status: 'replayed' } as const;
      const holders = await this.findHolders(code.userId, code.grantId, trx);
      if (rows.length > 0 && isLiveGrant(holders)) await this.writeTokenRows(trx, rows);
      return { status: 'redeemed', ...holders } as const;
    });
  }

  // Tokens

  /**
   * Hot path: every token response writes here. The SQL text is built once per row count, so
   * no query builder runs per request and SQLite reuses its prepared statement. On SQLite the
   * insert joins the group commit of its event-loop turn (see `grouped`).
   */
  async insertTokens(tokens: TokenRecord[]): Promise<void> {
    if (tokens.length === 0) return;
    const rows = tokens.map(tokenRow);
    await this.x.groupedStatement((executor) => this.writeTokenRows(executor, rows));
  }

  private async writeTokenRows(executor: Kysely<Database>, rows: TokensTable[]): Promise<void> {
    try {
      await executor.executeQuery(CompiledQuery.raw(this.insertTokensSql(rows.length), tokenParameters(rows)));
    } catch (error) {
      throw missingClientOr(error);
    }
  }

  private insertTokensSql(count: number): string {
    return this.x.sqlText(`insert-tokens:${count}`, (mark) => {
      const tuples = Array.from({ length: count }, (_, row) => `(${TOKEN_COLUMNS.map((_, column) => mark(row * TOKEN_COLUMNS.length + column)).join(', ')})`);
      return `insert into tokens (${TOKEN_COLUMNS.join(', ')}) values ${tuples.join(', ')}`;
    });
  }

  /** Hot path (introspection, validate, userinfo, refresh): one point read by primary key. */
  async findToken(tokenHash: string): Promise<TokenRecord | undefined> {
    const [row] = await this.hot.tokenByHash(tokenHash);
    return row && toToken(row);
  }

  async findTokenWithGrant(
    tokenHash: string,
    options: { membershipOf?: string | undefined } = {},
  ): Promise<({ token: TokenRecord; memberOfWorkspace?: boolean } & GrantHolders) | undefined> {
    const { membershipOf } = options;
    if (membershipOf !== undefined) {
      // An internal app's refresh: the membership by primary key in the same statement, no extra round trip.
      const text = this.x.sqlText(
        'token-with-holders-and-membership',
        (mark) =>
          `select tokens.*, ${HOLDER_COLUMNS}, members.user_id as m_user_id from tokens left join users on users.id = tokens.user_id ` +
          `left join grants on grants.id = tokens.grant_id ` +
          `left join workspace_members as members on members.workspace_id = ${mark(0)} and members.user_id = tokens.user_id ` +
          `where tokens.token_hash = ${mark(1)}`,
      );
      const [row] = (await this.db.executeQuery<Selectable<TokensTable> & { m_user_id: string | null }>(CompiledQuery.raw(text, [membershipOf, tokenHash]))).rows;
      return row && { token: toToken(row), ...toHolders(row), memberOfWorkspace: row.m_user_id !== null };
    }
    const text = this.x.sqlText(
      'token-with-holders',
      (mark) =>
        `select tokens.*, ${HOLDER_COLUMNS} from tokens left join users on users.id = tokens.user_id ` +
        `left join grants on grants.id = tokens.grant_id where tokens.token_hash = ${mark(0)}`,
    );
    const [row] = (await this.db.executeQuery<Selectable<TokensTable>>(CompiledQuery.raw(text, [tokenHash]))).rows;
    return row && { token: toToken(row), ...toHolders(row) };
  }

  /**
   * The conditional UPDATE is the arbiter: on Postgres a racing transaction blocks on the row
   * lock, re-checks `rotated_at IS NULL` against the committed row and updates nothing.
   * A loser wrote nothing, so ending its transaction is the same as rolling it back; it then
   * reads the winner's committed `successor_box`. If the token was revoked rather than rotated,
   * the record returned has `revokedAt` set and no successor.
   *
   * @throws NotFoundError when no token has `oldHash` (e.g. its client was deleted meanwhile).
   */
  async rotateRefreshToken(oldHash: string, successors: TokenRecord[], successorBox: string, now: number): Promise<RotationOutcome> {
    const won =
      this.dialect === 'postgres'
        ? await this.rotateInOneStatement(oldHash, successors, successorBox, now)
        : await this.rotateInGroupedTransaction(oldHash, successors, successorBox, now);
    if (won) return { status: 'rotated' };
    const token = await this.findToken(oldHash);
    if (!token) throw new NotFoundError('token', 'refresh token not found');
    return { status: 'already-rotated', token };
  }

  async insertTokensWhileLive(tokens: TokenRecord[], liveHash: string): Promise<boolean> {
    const rows = tokens.map(tokenRow);
    const live = this.x.sqlText('token-live', (mark) => `select 1 as live from tokens where token_hash = ${mark(0)} and revoked_at is null`);
    if (rows.length === 0) return (await this.db.executeQuery(CompiledQuery.raw(live, [liveHash]))).rows.length > 0;
    if (this.dialect === 'postgres') {
      const text = this.x.sqlText(`insert-tokens-while-live:${rows.length}`, (mark) => {
        const selects = rows.map(
          (_, row) => `select ${TOKEN_COLUMNS.map((column, i) => `${mark(1 + row * TOKEN_COLUMNS.length + i)}::${TOKEN_COLUMN_TYPES[column]}`).join(', ')}`,
        );
        return (
          `with live as (select token_hash from tokens where token_hash = ${mark(0)} and revoked_at is null for share) ` +
          `insert into tokens (${TOKEN_COLUMNS.join(', ')}) select * from (${selects.join(' union all ')}) as issued ` +
          'where exists (select 1 from live) returning token_hash'
        );
      });
      try {
        return (await this.db.executeQuery(CompiledQuery.raw(text, [liveHash, ...tokenParameters(rows)]))).rows.length > 0;
      } catch (error) {
        throw missingClientOr(error);
      }
    }
    // SQLite has one writer: nothing can revoke between the check and the insert.
    return this.x.grouped(async (trx) => {
      if ((await trx.executeQuery(CompiledQuery.raw(live, [liveHash]))).rows.length === 0) return false;
      await this.writeTokenRows(trx, rows);
      return true;
    });
  }

  /** SQLite: the conditional UPDATE and the successor inserts in one savepoint of the group commit. */
  private rotateInGroupedTransaction(oldHash: string, successors: TokenRecord[], successorBox: string, now: number): Promise<boolean> {
    const text = this.x.sqlText('rotate-refresh', rotateSql);
    return this.x.grouped(async (trx) => {
      const { rows } = await trx.executeQuery(CompiledQuery.raw(text, [now, successorBox, oldHash]));
      if (rows.length === 0) return false;
      if (successors.length > 0) await this.writeTokenRows(trx, successors.map(tokenRow));
      return true;
    });
  }

  /**
   * Postgres: the conditional UPDATE and the successor inserts as one statement (data-modifying
   * CTEs), one round trip instead of four; each insert selects from the UPDATE's result, so
   * nothing is inserted unless this statement rotated the token.
   */
  private async rotateInOneStatement(oldHash: string, successors: TokenRecord[], successorBox: string, now: number): Promise<boolean> {
    const width = TOKEN_COLUMNS.length;
    const text = this.x.sqlText(`rotate:${successors.length}`, (mark) => {
      const inserts = successors.map(
        (_, row) =>
          `, inserted_${row} as (insert into tokens (${TOKEN_COLUMNS.join(', ')}) ` +
          `select ${TOKEN_COLUMNS.map((_, column) => mark(3 + row * width + column)).join(', ')} from rotated)`,
      );
      return `with rotated as (${rotateSql(mark)})${inserts.join('')} select count(*) as rotated from rotated`;
    });
    const params = [now, successorBox, oldHash, ...tokenParameters(successors.map(tokenRow))];
    try {
      const { rows } = await this.db.executeQuery<{ rotated: number | string }>(CompiledQuery.raw(text, params));
      return Number(rows[0]!.rotated) > 0;
    } catch (error) {
      throw missingClientOr(error);
    }
  }

  /** True when this call revoked it. */
  async revokeToken(tokenHash: string, now: number): Promise<boolean> {
    const result = await this.db
      .updateTable('tokens')
      .set({ revoked_at: now })
      .where('token_hash', '=', tokenHash)
      .where('revoked_at', 'is', null)
      .executeTakeFirst();
    return result.numUpdatedRows > 0n;
  }

  async revokeFamily(familyId: string, now: number): Promise<number> {
    return this.db.transaction().execute(async (trx) => {
      await revokeSubjectIn(trx, revocationSubject.family(familyId), now, now + ACCESS_TOKEN_TTL_MAX);
      return revokeTokensWhere(trx, 'family_id', familyId, now);
    });
  }

  async revokeTokensForUser(userId: string, now: number): Promise<number> {
    return this.db.transaction().execute(async (trx) => {
      await revokeSubjectIn(trx, revocationSubject.user(userId), now, now + ACCESS_TOKEN_TTL_MAX);
      return revokeTokensWhere(trx, 'user_id', userId, now);
    });
  }

  async revokeSubject(subject: string, now: number, until: number): Promise<void> {
    await revokeSubjectIn(this.db, subject, now, until);
  }

  /** Hot path (every sealed access token presented): fixed SQL text, primary-key probes only. */
  async anyRevokedSince(subjects: readonly string[], issuedAt: number): Promise<boolean> {
    const text = this.x.sqlText(`revoked:${subjects.length}`, (mark) => revocationProbe(mark, subjects.length));
    const { rows } = await this.db.executeQuery(CompiledQuery.raw(text, [...subjects, issuedAt]));
    return rows.length > 0;
  }

  async revokedSinceWithUser(subjects: readonly string[], issuedAt: number, userId: string): Promise<{ revoked: boolean; user: User | undefined }> {
    // One row always: the probe's answer (1 or null) beside the user's columns (null when there is no such user).
    const text = this.x.sqlText(
      `revoked-with-user:${subjects.length}`,
      (mark) =>
        `select (${revocationProbe(mark, subjects.length)}) as revoked, ${USER_SELECT} ` +
        `from (select 1 as one) as probe left join users on users.id = ${mark(subjects.length + 1)}`,
    );
    const { rows } = await this.db.executeQuery<UserRow & { revoked: number | null }>(CompiledQuery.raw(text, [...subjects, issuedAt, userId]));
    const row = rows[0]!;
    return { revoked: row.revoked !== null, user: row.id === null ? undefined : toUser(row) };
  }

  // Housekeeping

  /**
   * Bounded batches keep each DELETE's locks (and SQLite's single writer) short, so purging a
   * large backlog never stalls token requests. Refresh tokens outlive their own expiry until the
   * family ends, so a replayed old token can still be recognised and its family revoked
   * (RFC 9700 §4.14.2).
   */
  async purgeExpired(now: number, options: { batchSize: number; maxBatches: number; keyRetentionSeconds: number }): Promise<PurgeReport> {
    const { batchSize: size, maxBatches } = options;
    const db = this.db;
    const batches = async (run: () => Promise<{ numDeletedRows: bigint }>): Promise<number> => {
      let total = 0;
      for (let i = 0; i < maxBatches; i++) {
        const deleted = Number((await run()).numDeletedRows);
        total += deleted;
        if (deleted < size) break;
      }
      return total;
    };

    const codes = await batches(() =>
      db
        .deleteFrom('code_redemptions')
        .where('code_hash', 'in', db.selectFrom('code_redemptions').select('code_hash').where('expires_at', '<', now).limit(size))
        .executeTakeFirst(),
    );
    const tokens = await batches(() =>
      db
        .deleteFrom('tokens')
        .where('token_hash', 'in', (eb) =>
          eb
            .selectFrom('tokens')
            .select('token_hash')
            .where('expires_at', '<', now)
            .where((w) => w.or([w('kind', '=', 'access'), w('family_expires_at', 'is', null), w('family_expires_at', '<', now)]))
            .limit(size),
        )
        .executeTakeFirst(),
    );
    const revocations = await batches(() =>
      db
        .deleteFrom('revocations')
        .where('subject', 'in', db.selectFrom('revocations').select('subject').where('expires_at', '<', now).limit(size))
        .executeTakeFirst(),
    );
    const sessions = await batches(() =>
      db
        .deleteFrom('sessions')
        .where('id_hash', 'in', db.selectFrom('sessions').select('id_hash').where('expires_at', '<', now).limit(size))
        .executeTakeFirst(),
    );
    const interactions = await batches(() =>
      db
        .deleteFrom('interactions')
        .where('id_hash', 'in', db.selectFrom('interactions').select('id_hash').where('expires_at', '<', now).limit(size))
        .executeTakeFirst(),
    );
    const clientSecrets = await batches(() =>
      db
        .deleteFrom('client_secrets')
        .where('id', 'in', db.selectFrom('client_secrets').select('id').where('expires_at', '<', now).limit(size))
        .executeTakeFirst(),
    );
    const keysBefore = now - options.keyRetentionSeconds;
    const signingKeys = await batches(() =>
      db
        .deleteFrom('signing_keys')
        .where('kid', 'in', db.selectFrom('signing_keys').select('kid').where('state', '=', 'retired').where('retired_at', '<', keysBefore).limit(size))
        .executeTakeFirst(),
    );
    return { codes, tokens, revocations, sessions, interactions, clientSecrets, signingKeys };
  }

  // Settings

  async getOrCreateSetting(name: string, value: string): Promise<string> {
    await this.db
      .insertInto('settings')
      .values({ name, value })
      .onConflict((oc) => oc.column('name').doNothing())
      .execute();
    const row = await this.db.selectFrom('settings').select('value').where('name', '=', name).executeTakeFirstOrThrow();
    return row.value;
  }

  async getSetting(name: string): Promise<string | undefined> {
    const row = await this.db.selectFrom('settings').select('value').where('name', '=', name).executeTakeFirst();
    return row?.value;
  }

  async replaceSetting(name: string, expected: string, value: string): Promise<boolean> {
    const result = await this.db.updateTable('settings').set({ value }).where('name', '=', name).where('value', '=', expected).executeTakeFirst();
    return Number(result.numUpdatedRows) === 1;
  }
}
