/** The signed-in user's own account: first-run setup, profile and password. No HTTP, no SQL. */
import { ConflictError, NotFoundError, ValidationError } from '../errors.js';
import type { User } from '../model.js';
import type { Stores } from '../stores.js';
import { randomId } from '../tokens/opaque.js';
import { checkPasswordPolicy, hashPassword, verifyPassword } from './passwords.js';
import { validateDisplayName, validateEmail, validateUsername } from './users.js';
import type { ManageDeps } from './deps.js';

const URL_MAX_LENGTH = 2000;
export const SETUP_SETTING = 'setup_done';

/** True while the server has no user at all: `/` then offers to create the administrator. */
export async function needsSetup(deps: ManageDeps): Promise<boolean> {
  const { stores } = deps;
  return (await stores.countUsers()) === 0;
}

/**
 * Creates the first administrator, exactly once. Input is validated and the password hashed
 * before anything is claimed; then the `setup_done` setting is claimed (first writer wins, across
 * processes) and the user count re-checked, so two concurrent setups create one administrator.
 * Throws ConflictError('setup') when setup already happened.
 */
export async function setupFirstAdmin(
  deps: ManageDeps,
  input: { username: unknown; password: unknown; email: unknown },
): Promise<User> {
  const { stores } = deps;
  const username = validateUsername(input.username);
  const password = checkPasswordPolicy(input.password);
  const email = requiredEmail(input.email);
  if (!(await needsSetup(deps))) throw ConflictError.named('setup', 'this server already has an administrator');
  const passwordHash = await hashPassword(password);
  const claim = randomId();
  if ((await stores.getOrCreateSetting(SETUP_SETTING, claim)) !== claim || !(await needsSetup(deps))) {
    throw ConflictError.named('setup', 'this server already has an administrator');
  }
  return stores.createUser({ username, passwordHash, email, isAdmin: true });
}

export function requiredEmail(email: unknown): string {
  const value = validateEmail(email);
  if (value === null) throw ValidationError.named('email', 'is required');
  return value;
}

/** An http(s) image URL for the profile picture; empty clears it. */
export function validatePictureUrl(value: unknown): string | null {
  if (value === undefined || value === null || value === '') return null;
  if (typeof value !== 'string') throw ValidationError.named('picture', 'must be a string');
  const trimmed = value.trim();
  if (trimmed === '') return null;
  if (trimmed.length > URL_MAX_LENGTH) throw ValidationError.named('picture', `must be at most ${URL_MAX_LENGTH} characters`);
  let url: URL;
  try {
    url = new URL(trimmed);
  } catch {
    throw ValidationError.named('picture', 'must be an absolute https:// or http:// URL');
  }
  if ((url.protocol !== 'https:' && url.protocol !== 'http:') || url.hostname === '') {
    throw ValidationError.named('picture', 'must be an absolute https:// or http:// URL');
  }
  if (url.username !== '' || url.password !== '') throw ValidationError.named('picture', 'must not contain user information');
  return trimmed;
}

export interface ProfileInput {
  name?: unknown;
  email?: unknown;
  picture?: unknown;
}

/** Updates name, email and picture. A changed email is no longer verified. */
export async function updateProfile(deps: ManageDeps, userId: string, input: ProfileInput): Promise<User> {
  const { stores } = deps;
  const user = await stores.findUserById(userId);
  if (!user) throw new NotFoundError('user', `user ${userId} not found`);
  const name = validateDisplayName(input.name);
  const email = validateEmail(input.email);
  const picture = validatePictureUrl(input.picture);
  const emailChanged = (email ?? '').toLowerCase() !== (user.email ?? '').toLowerCase();
  const updated = await stores.updateUser(userId, { name, email, picture, ...(emailChanged ? { emailVerified: false } : {}) });
  if (!updated) throw new NotFoundError('user', `user ${userId} not found`);
  return updated;
}

/**
 * Changes the password after checking the current one. Every session of the user ends (the
 * caller signs the current browser in again), so a stolen session does not survive the change.
 */
export async function changePassword(
  deps: ManageDeps,
  userId: string,
  input: { currentPassword: unknown; newPassword: unknown },
): Promise<void> {
  const { stores } = deps;
  const user = await stores.findUserById(userId);
  if (!user) throw new NotFoundError('user', `user ${userId} not found`);
  const found = await stores.findCredentials(user.username);
  const current = typeof input.currentPassword === 'string' ? input.currentPassword : '';
  if (!found || current === '' || [...current].length > 256 || !(await verifyPassword(found.passwordHash, current))) {
    throw ValidationError.named('current_password', 'is not your current password');
  }
  const next = checkPasswordPolicy(input.newPassword, 'new_password');
  await stores.updateUser(userId, { passwordHash: await hashPassword(next) });
  await stores.deleteSessionsForUser(userId);
}
