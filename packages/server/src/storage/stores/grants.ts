/** Consents (grants): one live grant per user and client, decided by a partial unique index. */
import { randomUUID } from 'node:crypto';
import { ACCESS_TOKEN_TTL_MAX } from '../../core/config.js';
import { revocationSubject, type GrantStore } from '../../core/stores.js';
import { toGrant } from '../rows.js';
import { revokeSubjectIn, revokeTokensWhere } from '../statements.js';
import type { StoreContext } from './context.js';

export function grantStore({ db, x }: StoreContext): GrantStore {
  // The token and consent paths' point reads, compiled once (see `KyselyExecutor.prepared`).
  const grantById = x.prepared(db.selectFrom('grants').selectAll().where('id', '=', ''));
  const liveGrant = x.prepared(db.selectFrom('grants').selectAll().where('user_id', '=', '').where('client_id', '=', '').where('revoked_at', 'is', null));

  return {
    async findGrant(userId, clientId) {
      const [row] = await liveGrant(userId, clientId);
      return row && toGrant(row);
    },

    async findGrantById(id) {
      const [row] = await grantById(id);
      return row && toGrant(row);
    },

    /**
     * INSERT … ON CONFLICT on the live-grant partial index: the database, not the caller, decides
     * whether a live grant exists, so parallel consents converge on one row (which keeps its id).
     */
    async saveGrant(input) {
      const row = await db
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
            .doUpdateSet((eb) => ({ scopes: eb.ref('excluded.scopes'), workspace_ids: eb.ref('excluded.workspace_ids'), updated_at: eb.ref('excluded.updated_at') })),
        )
        .returningAll()
        .executeTakeFirstOrThrow();
      return toGrant(row);
    },

    /** Live grants only: revoked ones are history, not connected apps. */
    async listGrantsForUser(userId) {
      const rows = await db.selectFrom('grants').selectAll().where('user_id', '=', userId).where('revoked_at', 'is', null).orderBy('updated_at', 'desc').orderBy('id').execute();
      return rows.map(toGrant);
    },

    async listGrantsForClient(clientId) {
      const rows = await db.selectFrom('grants').selectAll().where('client_id', '=', clientId).where('revoked_at', 'is', null).orderBy('id').execute();
      return rows.map(toGrant);
    },

    async touchGrant(id, now) {
      await db.updateTable('grants').set({ last_used_at: now }).where('id', '=', id).execute();
    },

    /** True when this call revoked it; false when it was unknown or already revoked. */
    async revokeGrant(id, now) {
      return db.transaction().execute(async (trx) => {
        const result = await trx.updateTable('grants').set({ revoked_at: now }).where('id', '=', id).where('revoked_at', 'is', null).executeTakeFirst();
        await revokeTokensWhere(trx, 'grant_id', id, now);
        await revokeSubjectIn(trx, revocationSubject.grant(id), now, now + ACCESS_TOKEN_TTL_MAX);
        return result.numUpdatedRows > 0n;
      });
    },
  };
}
