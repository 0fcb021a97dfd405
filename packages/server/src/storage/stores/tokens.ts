/**
 * Refresh tokens and the rows of stored access tokens (JWTs answered in a grace window), with
 * their grant's holders. Every race is settled by one conditional statement (`rotation.ts`).
 */
import { CompiledQuery, type Selectable } from 'kysely';
import { ACCESS_TOKEN_TTL_MAX } from '../../core/config.js';
import { NotFoundError } from '../../core/errors.js';
import { revocationSubject, type TokenStore } from '../../core/stores.js';
import { HOLDER_COLUMNS, tokenRow, toHolders, toToken, type HolderJoin } from '../rows.js';
import type { TokensTable } from '../schema.js';
import { revokeSubjectIn, revokeTokensWhere } from '../statements.js';
import type { StoreContext } from './context.js';
import { revocationStore } from './revocations.js';
import { rotationWrites } from './rotation.js';
import { writeTokenRows } from './token-rows.js';

export function tokenStore(context: StoreContext): TokenStore {
  const { db, x } = context;
  const tokenByHash = x.prepared(db.selectFrom('tokens').selectAll().where('token_hash', '=', ''));
  const writes = rotationWrites[context.dialect](context);
  const findToken = async (tokenHash: string) => {
    const [row] = await tokenByHash(tokenHash);
    return row && toToken(row);
  };

  return {
    ...revocationStore(context),

    /**
     * Hot path: every token response writes here. On SQLite the insert joins the group commit of
     * its event-loop turn (see `KyselyExecutor.grouped`).
     */
    async insertTokens(tokens) {
      if (tokens.length === 0) return;
      const rows = tokens.map(tokenRow);
      await x.groupedStatement((executor) => writeTokenRows(x, executor, rows));
    },

    /** Hot path (introspection, validate, userinfo, refresh): one point read by primary key. */
    findToken,

    async findTokenWithGrant(tokenHash, options = {}) {
      const { membershipOf } = options;
      if (membershipOf !== undefined) {
        // An internal app's refresh: the membership by primary key in the same statement, no extra round trip.
        const text = x.sqlText(
          'token-with-holders-and-membership',
          (mark) =>
            `select tokens.*, ${HOLDER_COLUMNS}, members.user_id as m_user_id from tokens left join users on users.id = tokens.user_id ` +
            `left join grants on grants.id = tokens.grant_id ` +
            `left join workspace_members as members on members.workspace_id = ${mark(0)} and members.user_id = tokens.user_id ` +
            `where tokens.token_hash = ${mark(1)}`,
        );
        const [row] = (await db.executeQuery<Selectable<TokensTable> & HolderJoin & { m_user_id: string | null }>(CompiledQuery.raw(text, [membershipOf, tokenHash]))).rows;
        return row && { token: toToken(row), ...toHolders(row), memberOfWorkspace: row.m_user_id !== null };
      }
      const text = x.sqlText(
        'token-with-holders',
        (mark) =>
          `select tokens.*, ${HOLDER_COLUMNS} from tokens left join users on users.id = tokens.user_id ` +
          `left join grants on grants.id = tokens.grant_id where tokens.token_hash = ${mark(0)}`,
      );
      const [row] = (await db.executeQuery<Selectable<TokensTable> & HolderJoin>(CompiledQuery.raw(text, [tokenHash]))).rows;
      return row && { token: toToken(row), ...toHolders(row) };
    },

    /**
     * A loser wrote nothing; it then reads the winner's committed `successor_box`. If the token
     * was revoked rather than rotated, the record returned has `revokedAt` set and no successor.
     *
     * @throws NotFoundError when no token has `oldHash` (e.g. its client was deleted meanwhile).
     */
    async rotateRefreshToken(oldHash, successors, successorBox, now) {
      if (await writes.rotate(oldHash, successors, successorBox, now)) return { status: 'rotated' };
      const token = await findToken(oldHash);
      if (!token) throw new NotFoundError('token', 'refresh token not found');
      return { status: 'already-rotated', token };
    },

    insertTokensWhileLive: (tokens, liveHash) => writes.insertWhileLive(tokens, liveHash),

    /** True when this call revoked it. */
    async revokeToken(tokenHash, now) {
      const result = await db.updateTable('tokens').set({ revoked_at: now }).where('token_hash', '=', tokenHash).where('revoked_at', 'is', null).executeTakeFirst();
      return result.numUpdatedRows > 0n;
    },

    async revokeFamily(familyId, now) {
      return db.transaction().execute(async (trx) => {
        await revokeSubjectIn(trx, revocationSubject.family(familyId), now, now + ACCESS_TOKEN_TTL_MAX);
        return revokeTokensWhere(trx, 'family_id', familyId, now);
      });
    },

    async revokeTokensForUser(userId, now) {
      return db.transaction().execute(async (trx) => {
        await revokeSubjectIn(trx, revocationSubject.user(userId), now, now + ACCESS_TOKEN_TTL_MAX);
        return revokeTokensWhere(trx, 'user_id', userId, now);
      });
    },
  };
}
