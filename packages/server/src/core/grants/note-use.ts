/**
 * "Last used" of a connected app. The account page shows it as a date, so recording every code and
 * refresh would be a write per token request for nothing: it is recorded at most once an hour.
 */
import type { CoreDeps } from '../deps.js';
import type { Grant } from '../model.js';

export const GRANT_USE_RESOLUTION_SECONDS = 3600;

export async function noteGrantUse(deps: CoreDeps, grant: Grant, now: number): Promise<void> {
  if (grant.lastUsedAt !== null && now - grant.lastUsedAt < GRANT_USE_RESOLUTION_SECONDS) return;
  await deps.stores.touchGrant(grant.id, now);
}
