/** Connected apps: the consents a user has given, and revoking them. */
import { NotFoundError } from '../errors.js';
import type { Client, Grant, Scope, Workspace } from '../model.js';
import type { Stores } from '../stores.js';
import type { ManageDeps } from './deps.js';

export interface ConnectedAppView {
  grant: Grant;
  client: Client;
  scopes: Array<Pick<Scope, 'name' | 'description'>>;
  workspaces: Array<Pick<Workspace, 'id' | 'name' | 'slug'>>;
}

/** Live grants with their client, scope descriptions (in granted order) and workspaces. */
export async function listConnectedApps(deps: ManageDeps, userId: string): Promise<ConnectedAppView[]> {
  const { stores } = deps;
  const grants = await stores.listGrantsForUser(userId);
  const views: ConnectedAppView[] = [];
  for (const grant of grants) {
    if (grant.revokedAt !== null) continue;
    const client = await stores.findClient(grant.clientId);
    if (!client) continue;
    const known = new Map((await stores.findScopes(grant.scopes)).map((scope) => [scope.name, scope]));
    const scopes = grant.scopes.map((name) => ({ name, description: known.get(name)?.description ?? name }));
    const workspaces = grant.workspaceIds.length
      ? (await stores.findWorkspacesByIds(grant.workspaceIds)).map(({ id, name, slug }) => ({ id, name, slug }))
      : [];
    views.push({ grant, client, scopes, workspaces });
  }
  return views;
}

/**
 * Revokes one of the user's own grants and, in the same transaction, every token issued under it.
 * NotFoundError for grants that are not the user's (or are already revoked): no hint they exist.
 */
export async function revokeConnectedApp(deps: ManageDeps, userId: string, grantId: string): Promise<Client | undefined> {
  const { stores } = deps;
  const now = deps.now();
  const grant = typeof grantId === 'string' && grantId !== '' ? await stores.findGrantById(grantId) : undefined;
  if (!grant || grant.userId !== userId || grant.revokedAt !== null) throw new NotFoundError('grant', 'no such connected app');
  await stores.revokeGrant(grant.id, now);
  return stores.findClient(grant.clientId);
}
