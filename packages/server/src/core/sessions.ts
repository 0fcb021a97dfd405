/** Browser sessions: the cookie holds a random id, the database its hash. */
import type { CoreDeps } from './deps.js';
import type { Session, User } from './model.js';
import { randomId, sha256 } from './tokens/opaque.js';

export interface ActiveSession {
  session: Session;
  user: User;
  /** Public session id for the ID token `sid` claim (not the cookie value). */
  sid: string;
}

export async function createSession(deps: CoreDeps, userId: string): Promise<{ cookieValue: string; session: Session }> {
  const now = deps.now();
  const cookieValue = randomId(32);
  const session: Session = {
    idHash: sha256(cookieValue),
    userId,
    authTime: now,
    createdAt: now,
    expiresAt: now + deps.config.lifetimes.session,
  };
  await deps.stores.createSession(session);
  return { cookieValue, session };
}

export async function resolveSession(deps: CoreDeps, cookieValue: string | undefined): Promise<ActiveSession | undefined> {
  if (!cookieValue || cookieValue.length > 128) return undefined;
  const found = await deps.stores.findSessionWithUser(sha256(cookieValue), deps.now());
  if (!found || found.user.disabledAt !== null) return undefined;
  return { session: found.session, user: found.user, sid: sessionSid(found.session) };
}

/** A stable, non-secret id derived from the stored hash. */
export const sessionSid = (session: Session): string => sha256(`sid:${session.idHash}`).slice(0, 22);

/**
 * Ends a browser session in the database, not only in the browser: a copy of the cookie value
 * stops working at once (sign-out, switching accounts, a new sign-in in the same browser).
 */
export async function endSession(deps: CoreDeps, cookieValue: string | undefined): Promise<void> {
  if (cookieValue && cookieValue.length <= 128) await deps.stores.deleteSession(sha256(cookieValue));
}

/** endSession for a session already resolved from its cookie. */
export async function endActiveSession(deps: CoreDeps, active: ActiveSession): Promise<void> {
  await deps.stores.deleteSession(active.session.idHash);
}
