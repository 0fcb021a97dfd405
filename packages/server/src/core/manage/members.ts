/**
 * Workspace membership as a signed-in user manages it: every function takes the acting user and
 * checks their role. Owners and admins manage members; only owners grant, change or remove the
 * owner role; a workspace always keeps at least one owner.
 */
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from '../errors.js';
import type { Workspace, WorkspaceMember, WorkspaceMembership, WorkspaceRole } from '../model.js';
import type { Stores } from '../stores.js';
import { validateRole } from './workspaces.js';
import type { ManageDeps } from './deps.js';

/** Defined with the other domain errors; the services that refuse an action import it from here too. */
export { ForbiddenError } from '../errors.js';

export interface WorkspaceWithMembers extends WorkspaceMembership {
  members: WorkspaceMember[];
}

export async function listWorkspacesWithMembers(deps: ManageDeps, userId: string): Promise<WorkspaceWithMembers[]> {
  const { stores } = deps;
  const memberships = await stores.listWorkspacesForUser(userId);
  return Promise.all(memberships.map(async (membership) => ({ ...membership, members: await stores.listMembers(membership.id) })));
}

/** The workspace and the actor's role; NotFoundError when the actor is not a member (no hint it exists). */
async function actorContext(stores: Stores, actorId: string, workspaceId: string): Promise<{ workspace: Workspace; role: WorkspaceRole; members: WorkspaceMember[] }> {
  const workspace = typeof workspaceId === 'string' && workspaceId !== '' ? await stores.findWorkspaceById(workspaceId) : undefined;
  const role = workspace ? await stores.findMembership(workspace.id, actorId) : undefined;
  if (!workspace || !role) throw new NotFoundError('workspace', 'no such workspace');
  return { workspace, role, members: await stores.listMembers(workspace.id) };
}

const canManage = (role: WorkspaceRole) => role === 'owner' || role === 'admin';
const ownerCount = (members: WorkspaceMember[]) => members.filter((member) => member.role === 'owner').length;

function requireManager(role: WorkspaceRole): void {
  if (!canManage(role)) throw new ForbiddenError('Only owners and admins of this workspace can manage its members.');
}

/** Adds a member by username, or changes the role of an existing one. */
export async function setWorkspaceMemberRole(
  deps: ManageDeps,
  actorId: string,
  workspaceId: string,
  input: { username: unknown; role: unknown },
  options: { mustBeNew?: boolean } = {},
): Promise<{ workspace: Workspace; username: string; role: WorkspaceRole }> {
  const { stores } = deps;
  const { workspace, role: actorRole, members } = await actorContext(stores, actorId, workspaceId);
  requireManager(actorRole);
  const role = validateRole(input.role ?? 'member');
  if (typeof input.username !== 'string' || input.username.trim() === '') throw ValidationError.named('username', 'is required');
  const user = await stores.findUserByUsername(input.username.trim());
  if (!user || user.disabledAt !== null) throw ValidationError.named('username', `no user "${input.username.trim()}"`);
  const current = members.find((member) => member.userId === user.id);
  if (options.mustBeNew && current) throw ConflictError.named('username', `"${user.username}" is already a member`);
  if (actorRole !== 'owner' && (role === 'owner' || current?.role === 'owner')) {
    throw new ForbiddenError('Only owners can grant or change the owner role.');
  }
  if (current?.role === 'owner' && role !== 'owner' && ownerCount(members) <= 1) {
    throw ConflictError.named('role', `"${user.username}" is the only owner of "${workspace.name}"`);
  }
  await stores.setMember(workspace.id, user.id, role);
  return { workspace, username: user.username, role };
}

/**
 * An app reaches a workspace through a member's consent. When that person leaves or is removed,
 * every consent of theirs that reaches the workspace is revoked with its tokens: the app must ask
 * again, and can no longer choose that workspace. So is every consent of theirs to an app
 * internal to the workspace, which admits its members only (refreshes check it too).
 */
async function revokeGrantsReaching(stores: Stores, userId: string, workspaceId: string, now: number): Promise<void> {
  const grants = (await stores.listGrantsForUser(userId)).filter((grant) => grant.revokedAt === null);
  if (grants.length === 0) return;
  const internal = new Set((await stores.listClients({ ownerWorkspaceIds: [workspaceId], visibility: 'internal' })).map((client) => client.id));
  for (const grant of grants) {
    if (grant.workspaceIds.includes(workspaceId) || internal.has(grant.clientId)) await stores.revokeGrant(grant.id, now);
  }
}

export async function removeWorkspaceMember(
  deps: ManageDeps,
  actorId: string,
  workspaceId: string,
  username: string,
): Promise<{ workspace: Workspace; username: string }> {
  const { stores } = deps;
  const { workspace, role: actorRole, members } = await actorContext(stores, actorId, workspaceId);
  requireManager(actorRole);
  const target = members.find((member) => member.username.toLowerCase() === String(username).toLowerCase());
  if (!target) throw new NotFoundError('member', 'no such member');
  if (target.role === 'owner' && actorRole !== 'owner') throw new ForbiddenError('Only owners can remove an owner.');
  if (target.role === 'owner' && ownerCount(members) <= 1) {
    throw new ConflictError('role', `${target.username} is the only owner of ${workspace.name}; make someone else owner first`);
  }
  await stores.removeMember(workspace.id, target.userId);
  await revokeGrantsReaching(stores, target.userId, workspace.id, deps.now());
  return { workspace, username: target.username };
}

export async function leaveWorkspace(deps: ManageDeps, userId: string, workspaceId: string): Promise<Workspace> {
  const { stores } = deps;
  const { workspace, role, members } = await actorContext(stores, userId, workspaceId);
  if (role === 'owner' && ownerCount(members) <= 1) {
    throw new ConflictError('role', `You are the only owner of ${workspace.name}; make someone else owner before leaving`);
  }
  await stores.removeMember(workspace.id, userId);
  await revokeGrantsReaching(stores, userId, workspace.id, deps.now());
  return workspace;
}
