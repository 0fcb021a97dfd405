/** Who may manage and who may see an app: the developer dashboard's and the directory's rules. */
import type { Client, User, WorkspaceMembership } from '../model.js';
import type { Stores } from '../stores.js';

const administers = (membership: WorkspaceMembership) => membership.role === 'owner' || membership.role === 'admin';

/** Apps the user owns personally or through a workspace they own or administer. */
export async function listManagedClients(stores: Stores, userId: string): Promise<Client[]> {
  const workspaceIds = (await stores.listWorkspacesForUser(userId)).filter(administers).map((membership) => membership.id);
  return stores.listClients({ ownerUserId: userId, ownerWorkspaceIds: workspaceIds });
}

/** The client when `userId` may manage it, otherwise undefined (callers answer 404). */
export async function findManagedClient(stores: Stores, userId: string, clientId: string): Promise<Client | undefined> {
  const client = typeof clientId === 'string' && clientId !== '' && clientId.length <= 100 ? await stores.findClient(clientId) : undefined;
  if (!client) return undefined;
  if (client.ownerUserId !== null && client.ownerUserId === userId) return client;
  if (client.ownerWorkspaceId !== null) {
    const role = await stores.findMembership(client.ownerWorkspaceId, userId);
    if (role === 'owner' || role === 'admin') return client;
  }
  return undefined;
}

/** Workspaces the user may register apps for. */
export async function administeredWorkspaces(stores: Stores, userId: string): Promise<WorkspaceMembership[]> {
  return (await stores.listWorkspacesForUser(userId)).filter(administers);
}

/**
 * The directory's rule: public and unlisted apps can be shown to anyone with the link; internal
 * apps only to members of the owning workspace (or the owning user).
 */
export async function findVisibleClient(stores: Stores, viewer: User | undefined, clientId: string): Promise<Client | undefined> {
  const client = typeof clientId === 'string' && clientId !== '' && clientId.length <= 100 ? await stores.findClient(clientId) : undefined;
  if (!client) return undefined;
  if (client.visibility !== 'internal') return client;
  if (!viewer) return undefined;
  if (client.ownerWorkspaceId !== null) return (await stores.findMembership(client.ownerWorkspaceId, viewer.id)) ? client : undefined;
  return client.ownerUserId === viewer.id ? client : undefined;
}

/** "alice" or "Workspace: Acme". */
export async function ownerLabel(stores: Stores, client: Client): Promise<string | undefined> {
  if (client.ownerWorkspaceId !== null) {
    const workspace = await stores.findWorkspaceById(client.ownerWorkspaceId);
    return workspace ? `Workspace: ${workspace.name}` : undefined;
  }
  if (client.ownerUserId !== null) return (await stores.findUserById(client.ownerUserId))?.username;
  return undefined;
}
