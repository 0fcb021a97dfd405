/** Workspaces and their members; a member's role is read through `parseRole`. */
import { randomUUID } from 'node:crypto';
import { ConflictError } from '../../core/errors.js';
import type { Workspace } from '../../core/model.js';
import type { WorkspaceStore } from '../../core/stores.js';
import { parseRole, toWorkspace } from '../rows.js';
import type { WorkspacesTable } from '../schema.js';
import { isUniqueViolation } from '../sql-errors.js';
import type { StoreContext } from './context.js';

/** `createWorkspace` also accepts a caller-chosen `id` (imports, fixtures). */
export interface KyselyWorkspaceStore extends WorkspaceStore {
  createWorkspace(input: { id?: string; name: string; slug: string; ownerUserId: string }): Promise<Workspace>;
}

export function workspaceStore({ db, now }: StoreContext): KyselyWorkspaceStore {
  return {
    async createWorkspace(input) {
      const row: WorkspacesTable = { id: input.id ?? randomUUID(), name: input.name, slug: input.slug, created_at: now() };
      try {
        await db.transaction().execute(async (trx) => {
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
    },

    async findWorkspaceById(id) {
      const row = await db.selectFrom('workspaces').selectAll().where('id', '=', id).executeTakeFirst();
      return row && toWorkspace(row);
    },

    async findWorkspaceBySlug(slug) {
      const row = await db.selectFrom('workspaces').selectAll().where('slug', '=', slug).executeTakeFirst();
      return row && toWorkspace(row);
    },

    async findWorkspacesByIds(ids) {
      if (ids.length === 0) return [];
      const rows = await db.selectFrom('workspaces').selectAll().where('id', 'in', [...ids]).orderBy('name').execute();
      return rows.map(toWorkspace);
    },

    async listWorkspacesForUser(userId) {
      const rows = await db
        .selectFrom('workspace_members as m')
        .innerJoin('workspaces as w', 'w.id', 'm.workspace_id')
        .selectAll('w')
        .select('m.role')
        .where('m.user_id', '=', userId)
        .orderBy('w.name')
        .execute();
      return rows.map((row) => ({ ...toWorkspace(row), role: parseRole(row.role) }));
    },

    async listMembers(workspaceId) {
      const rows = await db
        .selectFrom('workspace_members as m')
        .innerJoin('users as u', 'u.id', 'm.user_id')
        .select(['m.user_id', 'u.username', 'u.name', 'm.role', 'm.joined_at'])
        .where('m.workspace_id', '=', workspaceId)
        .orderBy('u.username_normalized')
        .execute();
      return rows.map((row) => ({ userId: row.user_id, username: row.username, name: row.name, role: parseRole(row.role), joinedAt: row.joined_at }));
    },

    async setMember(workspaceId, userId, role) {
      await db
        .insertInto('workspace_members')
        .values({ workspace_id: workspaceId, user_id: userId, role, joined_at: now() })
        .onConflict((oc) => oc.columns(['workspace_id', 'user_id']).doUpdateSet({ role }))
        .execute();
    },

    async removeMember(workspaceId, userId) {
      await db.deleteFrom('workspace_members').where('workspace_id', '=', workspaceId).where('user_id', '=', userId).execute();
    },

    async findMembership(workspaceId, userId) {
      const row = await db
        .selectFrom('workspace_members')
        .select('role')
        .where('workspace_id', '=', workspaceId)
        .where('user_id', '=', userId)
        .executeTakeFirst();
      return row && parseRole(row.role);
    },
  };
}
