/** User management shared by the CLI and the dashboard. No HTTP, no SQL: everything goes through `Stores`. */
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from '../errors.js';
import type { User } from '../model.js';
import type { Stores } from '../stores.js';
import type { ManageDeps } from './deps.js';
import { DUMMY_PASSWORD_HASH, checkPasswordPolicy, hashPassword, verifyPassword } from './passwords.js';

/** GitHub-like usernames: short, URL-safe and unambiguous in logs. */
export const USERNAME_PATTERN = /^[A-Za-z0-9_.-]{3,39}$/;
/** Deliberately loose (the WHATWG `input type=email` rule); ownership is proven by verification, not syntax. */
const EMAIL_PATTERN = /^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+$/;
const NAME_MAX_LENGTH = 100;

export interface CreateUserInput {
  username: string;
  password: string;
  email?: string | null | undefined;
  name?: string | null | undefined;
  isAdmin?: boolean | undefined;
}

export function validateUsername(username: unknown): string {
  if (typeof username !== 'string' || username.length === 0) {
    throw ValidationError.named('username', 'is required');
  }
  if (!USERNAME_PATTERN.test(username)) {
    throw ValidationError.named('username', 'must be 3-39 characters of letters, digits, "_", "." or "-"');
  }
  return username;
}

export function validateEmail(email: unknown): string | null {
  if (email === undefined || email === null || email === '') return null;
  if (typeof email !== 'string') throw ValidationError.named('email', 'must be a string');
  const trimmed = email.trim();
  if (trimmed.length > 254 || !EMAIL_PATTERN.test(trimmed)) {
    throw ValidationError.named('email', `"${trimmed}" is not a valid email address`);
  }
  return trimmed;
}

export function validateDisplayName(name: unknown): string | null {
  if (name === undefined || name === null) return null;
  if (typeof name !== 'string') throw ValidationError.named('name', 'must be a string');
  const trimmed = name.trim();
  if (trimmed === '') return null;
  if (trimmed.length > NAME_MAX_LENGTH) {
    throw ValidationError.named('name', `must be at most ${NAME_MAX_LENGTH} characters`);
  }
  return trimmed;
}

export async function createUser(deps: ManageDeps, input: CreateUserInput): Promise<User> {
  const { stores } = deps;
  const username = validateUsername(input.username);
  const password = checkPasswordPolicy(input.password);
  const email = validateEmail(input.email);
  const name = validateDisplayName(input.name);
  // The store enforces uniqueness too (case-insensitively); checking first gives one stable message.
  if (await stores.findUserByUsername(username)) {
    throw ConflictError.named('username', `"${username}" is already taken`);
  }
  const passwordHash = await hashPassword(password);
  return stores.createUser({ username, passwordHash, email, name, isAdmin: input.isAdmin ?? false });
}

/**
 * Returns the user when the password matches and the account is enabled, otherwise undefined.
 * Unknown and disabled users cost one Argon2 verification too, so timing does not reveal which
 * usernames exist (OWASP Authentication Cheat Sheet, "Authentication and Error Messages").
 */
export async function authenticateUser(deps: ManageDeps, username: string, password: string): Promise<User | undefined> {
  const { stores } = deps;
  if (typeof username !== 'string' || typeof password !== 'string' || [...password].length > 256) {
    await verifyPassword(DUMMY_PASSWORD_HASH, 'not-the-password');
    return undefined;
  }
  const found = USERNAME_PATTERN.test(username) ? await stores.findCredentials(username) : undefined;
  if (!found) {
    await verifyPassword(DUMMY_PASSWORD_HASH, password);
    return undefined;
  }
  const ok = await verifyPassword(found.passwordHash, password);
  if (!ok || found.user.disabledAt !== null) return undefined;
  return found.user;
}

/** Resolves a username for commands that take one; NotFoundError('user') when unknown. */
export async function requireUserByUsername(deps: ManageDeps, username: string): Promise<User> {
  const { stores } = deps;
  const found = typeof username === 'string' && username !== '' ? await stores.findUserByUsername(username) : undefined;
  if (!found) throw new NotFoundError('user', `user "${username}" not found`);
  return found;
}

/**
 * Disables an account: it can no longer sign in, its sessions end and every token issued to it is
 * revoked at once (userinfo, introspection and validate see it immediately).
 */
export async function disableUser(deps: ManageDeps, userId: string): Promise<User> {
  const { stores } = deps;
  const now = deps.now();
  const user = await stores.updateUser(userId, { disabledAt: now });
  if (!user) throw new NotFoundError('user', `user "${userId}" not found`);
  await stores.revokeTokensForUser(userId, now);
  await stores.deleteSessionsForUser(userId);
  return user;
}

export async function enableUser(deps: ManageDeps, userId: string): Promise<User> {
  const { stores } = deps;
  const user = await stores.updateUser(userId, { disabledAt: null });
  if (!user) throw new NotFoundError('user', `user "${userId}" not found`);
  return user;
}

/**
 * An administrator disables or enables another account (see disableUser). Their own is refused
 * (ForbiddenError): an administrator who locked themselves out could not undo it.
 */
export async function setUserDisabledBy(deps: ManageDeps, actorId: string, userId: string, disabled: boolean): Promise<User> {
  if (userId === actorId) throw new ForbiddenError('You cannot disable or enable your own account.');
  return disabled ? disableUser(deps, userId) : enableUser(deps, userId);
}
