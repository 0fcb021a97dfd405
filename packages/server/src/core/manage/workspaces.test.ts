import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDatabases } from '../../testing/databases.js';
import { ConflictError, NotFoundError, ValidationError } from '../errors.js';
import { defaultCoreConfig } from '../config.js';
import type { Stores } from '../stores.js';
import { createUser } from './users.js';
import { addWorkspaceMember, createWorkspace, slugify } from './workspaces.js';
import type { ManageDeps } from './deps.js';

describe('slugify', () => {
  it.each([
    ['Acme Research (EU)', 'acme-research-eu'],
    ['  Zürich Labs  ', 'zurich-labs'],
    ['---', ''],
    ['a'.repeat(60), 'a'.repeat(48)],
    [`${'a'.repeat(47)} b`, 'a'.repeat(47)],
  ])('%s → %s', (name, slug) => expect(slugify(name)).toBe(slug));
});

for (const database of testDatabases()) {
  describe(`workspaces on ${database.name}`, () => {
    let stores: Stores;
    /** The services' dependencies, with the clock at `now` (default: the wall clock). */
    const deps = (now = Math.floor(Date.now() / 1000)): ManageDeps => ({ stores, config: defaultCoreConfig('http://localhost:3000'), now: () => now });
    let close: () => Promise<void>;
    let ownerId: string;
    beforeAll(async () => {
      const opened = await database.open();
      stores = opened.stores;
      close = opened.close;
      ownerId = (await createUser(deps(), { username: 'owner', password: 'password123' })).id;
      await createUser(deps(), { username: 'member', password: 'password123' });
    });
    afterAll(async () => close?.());

    it('creates a workspace with a derived slug and the owner as member', async () => {
      const workspace = await createWorkspace(deps(), { name: 'Acme Research', ownerUsername: 'owner' });
      expect(workspace).toMatchObject({ name: 'Acme Research', slug: 'acme-research' });
      expect(await stores.findMembership(workspace.id, ownerId)).toBe('owner');
    });

    it('accepts an explicit slug and an owner id', async () => {
      const workspace = await createWorkspace(deps(), { name: 'Second', slug: 'team-2', ownerUserId: ownerId });
      expect(workspace.slug).toBe('team-2');
    });

    it('rejects bad input', async () => {
      await expect(createWorkspace(deps(), { name: '', ownerUsername: 'owner' })).rejects.toMatchObject({ field: 'name' });
      await expect(createWorkspace(deps(), { name: 'X', slug: 'Bad Slug', ownerUsername: 'owner' })).rejects.toBeInstanceOf(
        ValidationError,
      );
      await expect(createWorkspace(deps(), { name: '!!!', ownerUsername: 'owner' })).rejects.toMatchObject({ field: 'slug' });
      await expect(createWorkspace(deps(), { name: 'Ghosts', ownerUsername: 'ghost' })).rejects.toBeInstanceOf(NotFoundError);
      await expect(createWorkspace(deps(), { name: 'Acme Research', ownerUsername: 'owner' })).rejects.toBeInstanceOf(
        ConflictError,
      );
    });

    it('adds members and changes roles', async () => {
      const result = await addWorkspaceMember(deps(), { workspaceSlug: 'acme-research', username: 'member', role: 'admin' });
      expect(result.role).toBe('admin');
      const workspace = await stores.findWorkspaceBySlug('acme-research');
      expect(await stores.findMembership(workspace!.id, result.user.id)).toBe('admin');
      await addWorkspaceMember(deps(), { workspaceSlug: 'acme-research', username: 'member' });
      expect(await stores.findMembership(workspace!.id, result.user.id)).toBe('member');
    });

    it('rejects bad roles, unknown workspaces and users, and demoting the last owner', async () => {
      await expect(addWorkspaceMember(deps(), { workspaceSlug: 'acme-research', username: 'member', role: 'boss' })).rejects.toMatchObject({
        field: 'role',
      });
      await expect(addWorkspaceMember(deps(), { workspaceSlug: 'nope', username: 'member' })).rejects.toBeInstanceOf(NotFoundError);
      await expect(addWorkspaceMember(deps(), { workspaceSlug: 'acme-research', username: 'ghost' })).rejects.toBeInstanceOf(
        NotFoundError,
      );
      await expect(addWorkspaceMember(deps(), { workspaceSlug: 'acme-research', username: 'owner', role: 'member' })).rejects.toBeInstanceOf(
        ConflictError,
      );
      await addWorkspaceMember(deps(), { workspaceSlug: 'acme-research', username: 'member', role: 'owner' });
      await addWorkspaceMember(deps(), { workspaceSlug: 'acme-research', username: 'owner', role: 'member' });
    });
  });
}
