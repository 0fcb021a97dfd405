/** Clients and their secrets. Reads are cached by `cache/cached-clients.ts`, not here. */
import { ACCESS_TOKEN_TTL_MAX } from '../../core/config.js';
import { ConflictError } from '../../core/errors.js';
import type { ClientSecret } from '../../core/model.js';
import { revocationSubject, type ClientStore } from '../../core/stores.js';
import { clientColumns, clientRow, flag, secretRow, toClient, toSecret } from '../rows.js';
import type { ClientsTable } from '../schema.js';
import { isUniqueViolation } from '../sql-errors.js';
import { revokeSubjectIn } from '../statements.js';
import type { StoreContext } from './context.js';

export function clientStore({ db, now }: StoreContext): ClientStore {
  return {
    async createClient(client, secret) {
      const row = clientRow(client, now());
      try {
        await db.transaction().execute(async (trx) => {
          await trx.insertInto('clients').values(row).execute();
          if (secret) await trx.insertInto('client_secrets').values(secretRow({ ...secret, clientId: client.id })).execute();
        });
      } catch (error) {
        if (isUniqueViolation(error, { table: 'clients', column: 'id', primaryKey: true })) throw new ConflictError('client_id', 'client id is taken');
        throw error;
      }
      return toClient(row);
    },

    async findClient(id) {
      const row = await db.selectFrom('clients').selectAll().where('id', '=', id).executeTakeFirst();
      return row && toClient(row);
    },

    /**
     * `ownerUserId` and `ownerWorkspaceIds` together select the clients someone can manage: theirs
     * OR their workspaces'. `visibility` narrows the result further. No filter lists every client.
     */
    async listClients(query = {}) {
      let q = db.selectFrom('clients').selectAll();
      const { ownerUserId, ownerWorkspaceIds, visibility } = query;
      if (ownerUserId !== undefined || ownerWorkspaceIds !== undefined) {
        q = q.where((eb) => {
          const owners = [];
          if (ownerUserId !== undefined) owners.push(eb('owner_user_id', '=', ownerUserId));
          if (ownerWorkspaceIds !== undefined && ownerWorkspaceIds.length > 0) owners.push(eb('owner_workspace_id', 'in', [...ownerWorkspaceIds]));
          return eb.or(owners);
        });
      }
      if (visibility !== undefined) q = q.where('visibility', '=', visibility);
      const rows = await q.orderBy('created_at').orderBy('id').execute();
      return rows.map(toClient);
    },

    async updateClient(id, patch) {
      const set: Partial<ClientsTable> = { ...clientColumns(patch), updated_at: now() };
      if (patch.verified !== undefined) set.verified = flag(patch.verified);
      if (patch.resourceServer !== undefined) set.resource_server = flag(patch.resourceServer);
      const row = await db.updateTable('clients').set(set).where('id', '=', id).returningAll().executeTakeFirst();
      return row && toClient(row);
    },

    /** Secrets, grants and tokens go with it through ON DELETE CASCADE. */
    async deleteClient(id, at) {
      const result = await db.transaction().execute(async (trx) => {
        // Its sealed access tokens are stored nowhere: list the client as revoked so they die with it.
        await revokeSubjectIn(trx, revocationSubject.client(id), at, at + ACCESS_TOKEN_TTL_MAX);
        return trx.deleteFrom('clients').where('id', '=', id).executeTakeFirst();
      });
      return result.numDeletedRows > 0n;
    },

    async listActiveSecrets(clientId, at): Promise<ClientSecret[]> {
      const rows = await db
        .selectFrom('client_secrets')
        .selectAll()
        .where('client_id', '=', clientId)
        .where((eb) => eb.or([eb('expires_at', 'is', null), eb('expires_at', '>', at)]))
        .orderBy('created_at', 'desc')
        .execute();
      return rows.map(toSecret);
    },

    async rotateSecret(clientId, secret, graceUntil) {
      await db.transaction().execute(async (trx) => {
        await trx
          .updateTable('client_secrets')
          .set({ expires_at: graceUntil })
          .where('client_id', '=', clientId)
          .where((eb) => eb.or([eb('expires_at', 'is', null), eb('expires_at', '>', graceUntil)]))
          .execute();
        await trx.insertInto('client_secrets').values(secretRow({ ...secret, clientId })).execute();
      });
    },

    async countGrants(clientId) {
      const row = await db
        .selectFrom('grants')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('client_id', '=', clientId)
        .where('revoked_at', 'is', null)
        .executeTakeFirstOrThrow();
      return Number(row.n);
    },
  };
}
