/** Who may manage and who may see an app: the developer dashboard's and the directory's rules. */
import { NotFoundError, ValidationError } from '../errors.js';
import type { Client, User, WorkspaceMembership } from '../model.js';
import type { Stores } from '../stores.js';
import { registerClient, updateClientSettings, type ClientMetadataInput } from './clients.js';
import type { ManageDeps } from './deps.js';

const administers = (membership: WorkspaceMembership) => membership.role === 'owner' || membership.role === 'admin';

/** Apps the user owns personally or through a workspace they own or administer. */
export async function listManagedClients(deps: ManageDeps, userId: string): Promise<Client[]> {
  const { stores } = deps;
  const workspaceIds = (await stores.listWorkspacesForUser(userId)).filter(administers).map((membership) => membership.id);
  return stores.listClients({ ownerUserId: userId, ownerWorkspaceIds: workspaceIds });
}

/** The client when `userId` may manage it, otherwise undefined (callers answer 404). */
export async function findManagedClient(deps: ManageDeps, userId: string, clientId: string): Promise<Client | undefined> {
  const { stores } = deps;
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
export async function administeredWorkspaces(deps: ManageDeps, userId: string): Promise<WorkspaceMembership[]> {
  const { stores } = deps;
  return (await stores.listWorkspacesForUser(userId)).filter(administers);
}

/**
 * The directory's rule: public and unlisted apps can be shown to anyone with the link; internal
 * apps only to members of the owning workspace (or the owning user).
 */
export async function findVisibleClient(deps: ManageDeps, viewer: User | undefined, clientId: string): Promise<Client | undefined> {
  const { stores } = deps;
  const client = typeof clientId === 'string' && clientId !== '' && clientId.length <= 100 ? await stores.findClient(clientId) : undefined;
  if (!client) return undefined;
  if (client.visibility !== 'internal') return client;
  if (!viewer) return undefined;
  if (client.ownerWorkspaceId !== null) return (await stores.findMembership(client.ownerWorkspaceId, viewer.id)) ? client : undefined;
  return client.ownerUserId === viewer.id ? client : undefined;
}

/** "alice" or "Workspace: Acme". */
export async function ownerLabel(deps: ManageDeps, client: Client): Promise<string | undefined> {
  const { stores } = deps;
  if (client.ownerWorkspaceId !== null) {
    const workspace = await stores.findWorkspaceById(client.ownerWorkspaceId);
    return workspace ? `Workspace: ${workspace.name}` : undefined;
  }
  if (client.ownerUserId !== null) return (await stores.findUserById(client.ownerUserId))?.username;
  return undefined;
}

/** An app's owner columns: a user, or a workspace. */
export interface AppOwner {
  ownerUserId: string | null;
  ownerWorkspaceId: string | null;
}

/**
 * The dashboard's owner choice, "me" (or nothing) or "workspace:ID", as owner columns: the acting
 * user, or a workspace they own or administer. Anything else is ValidationError('owner').
 */
export async function resolveAppOwner(deps: ManageDeps, actorId: string, value: string | undefined): Promise<AppOwner> {
  if (!value || value === 'me') return { ownerUserId: actorId, ownerWorkspaceId: null };
  const id = value.startsWith('workspace:') ? value.slice('workspace:'.length) : '';
  if ((await administeredWorkspaces(deps, actorId)).some((ws) => ws.id === id)) return { ownerUserId: null, ownerWorkspaceId: id };
  throw ValidationError.named('owner', 'choose yourself or a workspace you own or administer');
}

/** Registers an app from the dashboard, owned by the acting user or one of the workspaces they administer. */
export async function registerManagedClient(
  deps: ManageDeps,
  actorId: string,
  metadata: ClientMetadataInput,
  owner: string | undefined,
): ReturnType<typeof registerClient> {
  const columns = await resolveAppOwner(deps, actorId, owner);
  return registerClient(deps, { ...metadata, ...columns });
}

/**
 * Saves an app's settings and, when the owner choice differs, moves it to the new owner (which
 * the acting user must be, or administer). The owner is checked before anything is written.
 */
export async function updateManagedClient(deps: ManageDeps, actorId: string, client: Client, metadata: ClientMetadataInput, owner: string | undefined): Promise<void> {
  const columns = await resolveAppOwner(deps, actorId, owner);
  await updateClientSettings(deps, client.id, metadata);
  if (columns.ownerUserId !== client.ownerUserId || columns.ownerWorkspaceId !== client.ownerWorkspaceId) await transferClient(deps, client.id, columns);
}

/** Gives the app another owner; NotFoundError when it does not exist. */
export async function transferClient(deps: ManageDeps, clientId: string, owner: AppOwner): Promise<Client> {
  const updated = await deps.stores.updateClient(clientId, owner);
  if (!updated) throw new NotFoundError('client', `client "${clientId}" not found`);
  return updated;
}

/**
 * Marks an app as verified by the platform (shown on the consent page and in the directory), or
 * clears the mark: administrators only. NotFoundError when it does not exist.
 */
export async function setClientVerified(deps: ManageDeps, clientId: string, verified: boolean): Promise<Client> {
  const updated = (await deps.stores.findClient(clientId)) ? await deps.stores.updateClient(clientId, { verified }) : undefined;
  if (!updated) throw new NotFoundError('client', `client "${clientId}" not found`);
  return updated;
}
