/**
 * Who an internal app admits: members of the workspace that owns it, or its owning user. Checked
 * when the app is authorized (`decide.ts`) and at every refresh (`grants/refresh-token.ts`), so
 * a membership that ended ends the app's access too.
 */
import type { Client } from '../model.js';

/** The workspace whose membership an app's refresh must read (none unless the app is internal to one). */
export const ownerWorkspaceToCheck = (client: Client): string | undefined =>
  client.visibility === 'internal' && client.ownerWorkspaceId ? client.ownerWorkspaceId : undefined;

/** Whether `client` admits the user; `memberOfOwnerWorkspace` matters only for an app internal to a workspace. */
export function admits(client: Client, userId: string, memberOfOwnerWorkspace: boolean): boolean {
  if (client.visibility !== 'internal') return true;
  return client.ownerWorkspaceId ? memberOfOwnerWorkspace : client.ownerUserId === userId;
}
