/** Browser sessions (stored by the SHA-256 of their cookie) and parked authorization interactions. */
import { CompiledQuery, type Selectable } from 'kysely';
import type { InteractionStore, SessionStore } from '../../core/stores.js';
import { joinedUser, toInteraction, toSession, USER_ALIASES, type UserJoin } from '../rows.js';
import type { SessionsTable } from '../schema.js';
import type { StoreContext } from './context.js';

export function sessionStore({ db, x }: StoreContext): SessionStore {
  return {
    async createSession(session) {
      await db
        .insertInto('sessions')
        .values({ id_hash: session.idHash, user_id: session.userId, auth_time: session.authTime, created_at: session.createdAt, expires_at: session.expiresAt })
        .execute();
    },

    /** Hot path (every signed-in page and authorization request): the session and its user in one read. */
    async findSessionWithUser(idHash, now) {
      const text = x.sqlText(
        'session-with-user',
        (mark) =>
          `select sessions.*, ${USER_ALIASES} from sessions join users on users.id = sessions.user_id ` +
          `where sessions.id_hash = ${mark(0)} and sessions.expires_at > ${mark(1)}`,
      );
      const [row] = (await db.executeQuery<Selectable<SessionsTable> & UserJoin>(CompiledQuery.raw(text, [idHash, now]))).rows;
      const user = row && joinedUser(row);
      return row && user && { session: toSession(row), user };
    },

    async deleteSession(idHash) {
      await db.deleteFrom('sessions').where('id_hash', '=', idHash).execute();
    },

    async deleteSessionsForUser(userId) {
      await db.deleteFrom('sessions').where('user_id', '=', userId).execute();
    },
  };
}

export function interactionStore({ db }: StoreContext): InteractionStore {
  return {
    async createInteraction(interaction) {
      await db
        .insertInto('interactions')
        .values({ id_hash: interaction.idHash, client_id: interaction.clientId, request: interaction.request, created_at: interaction.createdAt, expires_at: interaction.expiresAt })
        .execute();
    },

    async findInteraction(idHash, now) {
      const row = await db.selectFrom('interactions').selectAll().where('id_hash', '=', idHash).where('expires_at', '>', now).executeTakeFirst();
      return row && toInteraction(row);
    },

    /** One DELETE … RETURNING: of two racing callers, only the one whose delete hit the row gets it. */
    async consumeInteraction(idHash, now) {
      const row = await db.deleteFrom('interactions').where('id_hash', '=', idHash).where('expires_at', '>', now).returningAll().executeTakeFirst();
      return row && toInteraction(row);
    },
  };
}
