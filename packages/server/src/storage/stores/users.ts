/** Users: accounts, looked up by id or case-insensitively by name; the password hash only through `findCredentials`. */
import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { ConflictError } from '../../core/errors.js';
import type { User } from '../../core/model.js';
import type { NewUser, UserPatch, UserStore } from '../../core/stores.js';
import { escapeLike, flag, normalizeUsername, toUser, USER_COLUMNS } from '../rows.js';
import type { UsersTable } from '../schema.js';
import { isUniqueViolation } from '../sql-errors.js';
import { DEFAULT_LIST_LIMIT, type StoreContext } from './context.js';

/** `createUser` also accepts a caller-chosen `id` (imports, fixtures); otherwise a random UUID. */
export interface KyselyUserStore extends UserStore {
  createUser(input: NewUser & { id?: string }): Promise<User>;
}

export function userStore({ db, x, now }: StoreContext): KyselyUserStore {
  // The sign-in and token paths' point read, compiled once (see `KyselyExecutor.prepared`).
  const userById = x.prepared(db.selectFrom('users').select(USER_COLUMNS).where('id', '=', ''));
  const byName = (username: string) => db.selectFrom('users').where('username_normalized', '=', normalizeUsername(username));

  return {
    async createUser(input) {
      const stamp = now();
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
        created_at: stamp,
        updated_at: stamp,
      };
      try {
        await db.insertInto('users').values(row).execute();
      } catch (error) {
        if (isUniqueViolation(error, { table: 'users', column: 'username_normalized' })) throw new ConflictError('username', 'username is taken');
        throw error;
      }
      return toUser(row);
    },

    async findUserById(id) {
      const [row] = await userById(id);
      return row && toUser(row);
    },

    async findUserByUsername(username) {
      const row = await byName(username).select(USER_COLUMNS).executeTakeFirst();
      return row && toUser(row);
    },

    /** The only read that carries the password hash. */
    async findCredentials(username) {
      const row = await byName(username).selectAll().executeTakeFirst();
      return row && { user: toUser(row), passwordHash: row.password_hash };
    },

    /** `search` matches username, email or name, case-insensitively, anywhere in the text. */
    async listUsers(query = {}) {
      let q = db.selectFrom('users').select(USER_COLUMNS);
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
    },

    async countUsers() {
      const row = await db
        .selectFrom('users')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow();
      return Number(row.n);
    },

    async updateUser(id: string, patch: UserPatch) {
      const set: Partial<UsersTable> = { updated_at: now() };
      if (patch.email !== undefined) set.email = patch.email;
      if (patch.emailVerified !== undefined) set.email_verified = flag(patch.emailVerified);
      if (patch.name !== undefined) set.name = patch.name;
      if (patch.picture !== undefined) set.picture = patch.picture;
      if (patch.passwordHash !== undefined) set.password_hash = patch.passwordHash;
      if (patch.isAdmin !== undefined) set.is_admin = flag(patch.isAdmin);
      if (patch.disabledAt !== undefined) set.disabled_at = patch.disabledAt;
      const row = await db.updateTable('users').set(set).where('id', '=', id).returning(USER_COLUMNS).executeTakeFirst();
      return row && toUser(row);
    },
  };
}
