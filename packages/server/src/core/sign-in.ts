/**
 * Password sign-in with throttling: after `limit` failures for one account within the window,
 * further attempts are refused without checking the password until the window passes
 * (OWASP Authentication Cheat Sheet, "Protect Against Automated Attacks"). A throttle, not a
 * lockout: the account opens again by itself, and a success clears the count.
 */
import type { CoreDeps } from './deps.js';
import { authenticateUser } from './manage/users.js';
import type { User } from './model.js';

export class SignInThrottle {
  private readonly failures = new Map<string, { count: number; resetAt: number }>();

  constructor(
    readonly limit = 10,
    readonly windowSeconds = 15 * 60,
    private readonly maxTracked = 100_000,
  ) {}

  blocked(key: string, now: number): boolean {
    const entry = this.failures.get(key);
    if (entry && entry.resetAt <= now) this.failures.delete(key);
    return entry !== undefined && entry.resetAt > now && entry.count >= this.limit;
  }

  fail(key: string, now: number): void {
    const entry = this.failures.get(key);
    if (entry && entry.resetAt > now) {
      entry.count++;
      return;
    }
    if (this.failures.size >= this.maxTracked) this.failures.clear();
    this.failures.set(key, { count: 1, resetAt: now + this.windowSeconds });
  }

  succeed(key: string): void {
    this.failures.delete(key);
  }
}

export type SignInResult = { ok: true; user: User } | { ok: false; message: string };

export async function signInWithPassword(deps: CoreDeps, username: string | undefined, password: string | undefined): Promise<SignInResult> {
  const incorrect: SignInResult = { ok: false, message: 'Incorrect username or password.' };
  if (!username || !password) return incorrect;
  const key = username.trim().toLowerCase();
  const now = deps.now();
  if (deps.signInThrottle.blocked(key, now)) {
    return { ok: false, message: 'Too many failed attempts for this account. Wait a few minutes and try again.' };
  }
  const user = await authenticateUser(deps.stores, username, password);
  if (!user) {
    deps.signInThrottle.fail(key, now);
    return incorrect;
  }
  deps.signInThrottle.succeed(key);
  return { ok: true, user };
}
