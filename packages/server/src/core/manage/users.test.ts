import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDatabases } from '../../testing/databases.js';
import { ConflictError, NotFoundError, ValidationError } from '../errors.js';
import { defaultCoreConfig } from '../config.js';
import type { Stores } from '../stores.js';
import { authenticateUser, createUser, requireUserByUsername } from './users.js';
import type { ManageDeps } from './deps.js';

for (const database of testDatabases()) {
  describe(`users on ${database.name}`, () => {
    let stores: Stores;
    /** The services' dependencies, with the clock at `now` (default: the wall clock). */
    const deps = (now = Math.floor(Date.now() / 1000)): ManageDeps => ({ stores, config: defaultCoreConfig('http://localhost:3000'), now: () => now });
    let close: () => Promise<void>;
    beforeAll(async () => {
      const opened = await database.open();
      stores = opened.stores;
      close = opened.close;
    });
    afterAll(async () => close?.());

    it('creates a user and authenticates them', async () => {
      const user = await createUser(deps(), { username: 'ada', password: 'analytical-engine', email: ' ada@example.com ', name: 'Ada Lovelace' });
      expect(user).toMatchObject({ username: 'ada', email: 'ada@example.com', name: 'Ada Lovelace', isAdmin: false, disabledAt: null });
      expect(user).not.toHaveProperty('passwordHash');
      const signedIn = await authenticateUser(deps(), 'ada', 'analytical-engine');
      expect(signedIn?.id).toBe(user.id);
      expect(signedIn).not.toHaveProperty('passwordHash');
      expect(await authenticateUser(deps(), 'ADA', 'analytical-engine')).toBeDefined();
      expect(await authenticateUser(deps(), 'ada', 'wrong-password')).toBeUndefined();
    });

    it('returns undefined for unknown users after doing the same work', async () => {
      const started = performance.now();
      expect(await authenticateUser(deps(), 'nobody', 'whatever-password')).toBeUndefined();
      expect(performance.now() - started).toBeGreaterThan(5);
      expect(await authenticateUser(deps(), '', 'whatever-password')).toBeUndefined();
    });

    it('refuses disabled users', async () => {
      const user = await createUser(deps(), { username: 'disabled.user', password: 'password123' });
      await stores.updateUser(user.id, { disabledAt: 1 });
      expect(await authenticateUser(deps(), 'disabled.user', 'password123')).toBeUndefined();
    });

    it('creates admins', async () => {
      const user = await createUser(deps(), { username: 'root_admin', password: 'password123', isAdmin: true });
      expect(user.isAdmin).toBe(true);
    });

    it('rejects duplicates, case-insensitively', async () => {
      await createUser(deps(), { username: 'grace', password: 'password123' });
      await expect(createUser(deps(), { username: 'Grace', password: 'password123' })).rejects.toMatchObject({
        constructor: ConflictError,
        field: 'username',
      });
    });

    it.each([
      [{ username: 'ab', password: 'password123' }, 'username'],
      [{ username: 'x'.repeat(40), password: 'password123' }, 'username'],
      [{ username: 'has space', password: 'password123' }, 'username'],
      [{ username: 'émile', password: 'password123' }, 'username'],
      [{ username: 'valid', password: 'short' }, 'password'],
      [{ username: 'valid', password: 'password123', email: 'not-an-email' }, 'email'],
      [{ username: 'valid', password: 'password123', email: 'a@b' }, 'email'],
      [{ username: 'valid', password: 'password123', name: 'n'.repeat(101) }, 'name'],
    ])('validates %j', async (input, field) => {
      const error = await createUser(deps(), input).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ValidationError);
      expect((error as ValidationError).field).toBe(field);
    });

    it('resolves usernames', async () => {
      await expect(requireUserByUsername(deps(), 'ghost')).rejects.toBeInstanceOf(NotFoundError);
      expect((await requireUserByUsername(deps(), 'ada')).username).toBe('ada');
    });
  });
}
