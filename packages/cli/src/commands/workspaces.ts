/** `gatehouse workspaces …`: workspaces and their members. */
import { addWorkspaceMember, createWorkspace } from '@gatehouse/server';
import { str, required, type Command, manageDeps } from '../framework.js';

export const workspacesCommands: Command[] = [
  {
    path: ['workspaces', 'create'],
    summary: 'Create a workspace owned by a user',
    usage: 'gatehouse workspaces create --name N [--slug S] --owner USERNAME',
    details: 'Without --slug, one is derived from the name (lowercase letters, digits and "-").',
    options: { name: { type: 'string' }, slug: { type: 'string' }, owner: { type: 'string' } },
    async run(ctx) {
      const name = required(ctx, 'name');
      const owner = required(ctx, 'owner');
      return ctx.withStores(async (stores, config) => {
        const workspace = await createWorkspace(manageDeps(stores, config), { name, slug: str(ctx.values['slug']), ownerUsername: owner });
        return {
          json: { id: workspace.id, name: workspace.name, slug: workspace.slug, owner },
          human: `Created workspace "${workspace.name}" (slug ${workspace.slug}, id ${workspace.id}) owned by ${owner}`,
        };
      });
    },
  },
  {
    path: ['workspaces', 'add-member'],
    summary: "Add a user to a workspace, or change a member's role",
    usage: 'gatehouse workspaces add-member --workspace SLUG --user USERNAME [--role member|admin|owner]',
    options: { workspace: { type: 'string' }, user: { type: 'string' }, role: { type: 'string' } },
    async run(ctx) {
      const workspaceSlug = required(ctx, 'workspace');
      const username = required(ctx, 'user');
      const role = str(ctx.values['role']) ?? 'member';
      return ctx.withStores(async (stores, config) => {
        const result = await addWorkspaceMember(manageDeps(stores, config), { workspaceSlug, username, role });
        return {
          json: { workspace: result.workspace.slug, user: result.user.username, role: result.role },
          human: `${result.user.username} is now ${result.role} of ${result.workspace.slug}`,
        };
      });
    },
  },
];
