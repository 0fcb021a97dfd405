/**
 * Saving a consent. The grant is the ceiling of every token minted from it (RFC 6749 §6: a
 * refreshed token "MUST NOT include any scope not originally granted"; RFC 9700 §4.14): when a
 * new consent takes away a workspace or a scope the live one had, the live grant is revoked with
 * every token issued under it (its stored rows, and `g:<id>` in the revocation list for sealed
 * access tokens), and the new consent is saved as a new grant with a new id. The new id is what
 * keeps the tokens about to be minted from the new consent alive: a `g:` revocation at second T
 * also covers tokens issued at T. Nothing is checked per request: refresh and introspection find
 * the old tokens revoked the way they find any revoked token.
 */
import type { CoreDeps } from '../deps.js';
import type { Grant } from '../model.js';
import { randomId } from '../tokens/opaque.js';

/** True when `next` leaves out a scope or a workspace that `previous` had. */
export function narrows(previous: Pick<Grant, 'scopes' | 'workspaceIds'>, next: { scopes: readonly string[]; workspaceIds: readonly string[] }): boolean {
  return previous.scopes.some((scope) => !next.scopes.includes(scope)) || previous.workspaceIds.some((id) => !next.workspaceIds.includes(id));
}

export async function saveConsent(
  deps: CoreDeps,
  input: { previous: Grant | undefined; userId: string; clientId: string; scopes: string[]; workspaceIds: string[] },
): Promise<Grant> {
  const now = deps.now();
  const { previous, userId, clientId, scopes, workspaceIds } = input;
  if (previous && previous.revokedAt === null && narrows(previous, { scopes, workspaceIds })) await deps.stores.revokeGrant(previous.id, now);
  return deps.stores.saveGrant({ id: randomId(), userId, clientId, scopes, workspaceIds, now });
}
