import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDatabases, type TestDatabase } from '../../testing/databases.js';
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from '../errors.js';
import { changePassword, setupFirstAdmin, updateProfile, validatePictureUrl } from './account.js';
import { findManagedClient, findVisibleClient, listManagedClients, registerManagedClient, setClientVerified, updateManagedClient } from './apps.js';
import { registerClient } from './clients.js';
import { listConnectedApps, revokeConnectedApp } from './grants.js';
import { leaveWorkspace, removeWorkspaceMember, setWorkspaceMemberRole } from './members.js';
import { rotateKeys } from './keys.js';
import { updateScope } from './scopes.js';
import { authenticateUser, createUser, setUserDisabledBy } from './users.js';
import type { ManageDeps } from './deps.js';
import { createWorkspace } from './workspaces.js';
import { defaultCoreConfig } from '../config.js';

describe.each(testDatabases())('console services on $name', (factory) => {
  let db: TestDatabase;
  let n = 0;
  /** The services' dependencies, with the clock standing at 1_900_000_000. */
  const deps = (): ManageDeps => ({ stores: db.stores, config: defaultCoreConfig('https://id.example'), now: () => 1_900_000_000 });
  const user = (extra: { isAdmin?: boolean } = {}) => createUser(deps(), { username: `u${process.pid}n${++n}`, password: 'correct horse battery', ...extra });

  beforeAll(async () => {
    db = await factory.open();
  });
  afterAll(async () => db?.close());

  it('creates exactly one first administrator under concurrency, after validating input', async () => {
    await expect(setupFirstAdmin(deps(), { username: 'x', password: 'correct horse battery', email: 'a@example.com' })).rejects.toBeInstanceOf(ValidationError);
    await expect(setupFirstAdmin(deps(), { username: 'admin', password: 'correct horse battery', email: '' })).rejects.toThrow(/email: is required/);
    const results = await Promise.allSettled(
      Array.from({ length: 6 }, (_, i) => setupFirstAdmin(deps(), { username: `admin${i}`, password: 'correct horse battery', email: `a${i}@example.com` })),
    );
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    for (const r of results) if (r.status === 'rejected') expect(r.reason).toBeInstanceOf(ConflictError);
    expect(await db.stores.countUsers()).toBe(1);
    expect((await db.stores.listUsers())[0]!.isAdmin).toBe(true);
  });

  it('updates the profile and changes the password', async () => {
    const u = await user();
    expect(() => validatePictureUrl('javascript:alert(1)')).toThrow(/picture/);
    expect(() => validatePictureUrl('https://u:p@x.example/a.png')).toThrow(/user information/);
    const updated = await updateProfile(deps(), u.id, { name: ' Ada ', email: 'ada@example.com', picture: 'http://img.example/a.png' });
    expect(updated).toMatchObject({ name: 'Ada', email: 'ada@example.com', picture: 'http://img.example/a.png', emailVerified: false });
    await expect(changePassword(deps(), u.id, { currentPassword: 'nope', newPassword: 'another long one' })).rejects.toMatchObject({ field: 'current_password' });
    await expect(changePassword(deps(), u.id, { currentPassword: 'correct horse battery', newPassword: 'short' })).rejects.toMatchObject({ field: 'new_password' });
    await changePassword(deps(), u.id, { currentPassword: 'correct horse battery', newPassword: 'another long one' });
    expect(await authenticateUser(deps(), u.username, 'another long one')).toBeDefined();
  });

  it('enforces workspace roles and keeps the last owner', async () => {
    const [owner, admin, member, outsider] = [await user(), await user(), await user(), await user()];
    const ws = await createWorkspace(deps(), { name: 'Team', slug: `team-${n}`, ownerUserId: owner.id });
    await setWorkspaceMemberRole(deps(), owner.id, ws.id, { username: admin.username, role: 'admin' });
    await setWorkspaceMemberRole(deps(), admin.id, ws.id, { username: member.username, role: 'member' }, { mustBeNew: true });
    await expect(setWorkspaceMemberRole(deps(), admin.id, ws.id, { username: member.username, role: 'member' }, { mustBeNew: true })).rejects.toBeInstanceOf(ConflictError);
    await expect(setWorkspaceMemberRole(deps(), admin.id, ws.id, { username: member.username, role: 'owner' })).rejects.toBeInstanceOf(ForbiddenError);
    await expect(setWorkspaceMemberRole(deps(), member.id, ws.id, { username: outsider.username, role: 'member' })).rejects.toBeInstanceOf(ForbiddenError);
    await expect(setWorkspaceMemberRole(deps(), outsider.id, ws.id, { username: outsider.username, role: 'member' })).rejects.toBeInstanceOf(NotFoundError);
    await expect(removeWorkspaceMember(deps(), admin.id, ws.id, owner.username)).rejects.toBeInstanceOf(ForbiddenError);
    await expect(setWorkspaceMemberRole(deps(), owner.id, ws.id, { username: owner.username, role: 'admin' })).rejects.toThrow(/only owner/);
    await expect(leaveWorkspace(deps(), owner.id, ws.id)).rejects.toThrow(/only owner/);
    await setWorkspaceMemberRole(deps(), owner.id, ws.id, { username: admin.username, role: 'owner' });
    await leaveWorkspace(deps(), owner.id, ws.id);
    await removeWorkspaceMember(deps(), admin.id, ws.id, member.username);
    expect((await db.stores.listMembers(ws.id)).map((m) => m.userId)).toEqual([admin.id]);
  });

  it('decides who manages and who sees an app, and revokes only the user’s own grants', async () => {
    const [owner, wsAdmin, wsMember, stranger] = [await user(), await user(), await user(), await user()];
    const ws = await createWorkspace(deps(), { name: 'Apps', slug: `apps-${n}`, ownerUserId: owner.id });
    await setWorkspaceMemberRole(deps(), owner.id, ws.id, { username: wsAdmin.username, role: 'admin' });
    await setWorkspaceMemberRole(deps(), owner.id, ws.id, { username: wsMember.username, role: 'member' });
    const config = defaultCoreConfig('https://id.example');
    const base = { client_name: 'A', redirect_uris: ['https://a.example/cb'], scope: 'openid' };
    const { client: internal } = await registerClient(deps(), { ...base, visibility: 'internal', ownerWorkspaceId: ws.id });
    const { client: personal } = await registerClient(deps(), { ...base, visibility: 'unlisted', ownerUserId: stranger.id });
    expect(await findManagedClient(deps(), wsAdmin.id, internal.id)).toBeDefined();
    expect(await findManagedClient(deps(), wsMember.id, internal.id)).toBeUndefined();
    expect(await findManagedClient(deps(), owner.id, personal.id)).toBeUndefined();
    expect((await listManagedClients(deps(), wsAdmin.id)).map((c) => c.id)).toEqual([internal.id]);
    expect(await findVisibleClient(deps(), wsMember, internal.id)).toBeDefined();
    expect(await findVisibleClient(deps(), stranger, internal.id)).toBeUndefined();
    expect(await findVisibleClient(deps(), undefined, personal.id)).toBeDefined();

    const now = Math.floor(Date.now() / 1000);
    const grant = await db.stores.saveGrant({ id: `g${n}`, userId: wsMember.id, clientId: internal.id, scopes: ['openid'], workspaceIds: [ws.id], now });
    const [view] = await listConnectedApps(deps(), wsMember.id);
    expect(view).toMatchObject({ client: { id: internal.id }, workspaces: [{ id: ws.id }] });
    expect(view!.scopes[0]!.description).toBeTruthy();
    await expect(revokeConnectedApp(deps(), stranger.id, grant.id)).rejects.toBeInstanceOf(NotFoundError);
    await revokeConnectedApp(deps(), wsMember.id, grant.id);
    expect(await listConnectedApps(deps(), wsMember.id)).toEqual([]);
    await expect(revokeConnectedApp(deps(), wsMember.id, grant.id)).rejects.toBeInstanceOf(NotFoundError);
  });


  it('registers and moves an app only to its user or a workspace they administer', async () => {
    const [owner, member] = [await user(), await user()];
    const ws = await createWorkspace(deps(), { name: 'Owners', slug: `owners-${n}`, ownerUserId: owner.id });
    await setWorkspaceMemberRole(deps(), owner.id, ws.id, { username: member.username, role: 'member' });
    const metadata = { client_name: 'Moved', redirect_uris: ['https://moved.example/cb'], scope: 'openid' };
    const { client } = await registerManagedClient(deps(), owner.id, metadata, undefined);
    expect(client).toMatchObject({ ownerUserId: owner.id, ownerWorkspaceId: null });
    await expect(registerManagedClient(deps(), member.id, metadata, `workspace:${ws.id}`)).rejects.toMatchObject({ field: 'owner' });
    await expect(registerManagedClient(deps(), owner.id, metadata, 'someone-else')).rejects.toBeInstanceOf(ValidationError);

    await updateManagedClient(deps(), owner.id, client, { client_name: 'Moved on' }, `workspace:${ws.id}`);
    expect(await db.stores.findClient(client.id)).toMatchObject({ name: 'Moved on', ownerUserId: null, ownerWorkspaceId: ws.id });
    // The owner is checked before the settings are saved: a refused move changes nothing.
    const moved = (await db.stores.findClient(client.id))!;
    await expect(updateManagedClient(deps(), owner.id, moved, { client_name: 'Not saved' }, 'workspace:nope')).rejects.toMatchObject({ field: 'owner' });
    expect(await db.stores.findClient(client.id)).toMatchObject({ name: 'Moved on', ownerWorkspaceId: ws.id });
    await updateManagedClient(deps(), owner.id, moved, { client_name: 'Back home' }, 'me');
    expect(await db.stores.findClient(client.id)).toMatchObject({ name: 'Back home', ownerUserId: owner.id, ownerWorkspaceId: null });
  });

  it('verifies apps, edits catalogue scopes but never built-in ones, and refuses to disable oneself', async () => {
    const { client } = await registerClient(deps(), { client_name: 'V', redirect_uris: ['https://v.example/cb'], scope: 'openid' });
    expect((await setClientVerified(deps(), client.id, true)).verified).toBe(true);
    expect((await setClientVerified(deps(), client.id, false)).verified).toBe(false);
    await expect(setClientVerified(deps(), 'no-such-app', true)).rejects.toBeInstanceOf(NotFoundError);

    const name = `edit${n}:read`;
    await db.stores.upsertScope({ name, description: 'Old', requiresWorkspace: false, builtin: false });
    expect(await updateScope(deps(), name, { description: '  New words ', requiresWorkspace: true })).toEqual({ name, description: 'New words', requiresWorkspace: true, builtin: false });
    expect((await db.stores.findScopes([name]))[0]).toMatchObject({ description: 'New words', requiresWorkspace: true });
    await expect(updateScope(deps(), name, { description: ' ', requiresWorkspace: false })).rejects.toMatchObject({ field: 'description' });
    await expect(updateScope(deps(), 'openid', { description: 'hijack', requiresWorkspace: false })).rejects.toThrow('openid is a built-in scope and cannot be changed.');
    await expect(updateScope(deps(), `missing${n}:read`, { description: 'x', requiresWorkspace: false })).rejects.toBeInstanceOf(NotFoundError);

    const [admin, other] = [await user({ isAdmin: true }), await user()];
    await expect(setUserDisabledBy(deps(), admin.id, admin.id, true)).rejects.toBeInstanceOf(ForbiddenError);
    expect((await setUserDisabledBy(deps(), admin.id, other.id, true)).disabledAt).toBe(1_900_000_000);
    expect((await setUserDisabledBy(deps(), admin.id, other.id, false)).disabledAt).toBeNull();
    await expect(setUserDisabledBy(deps(), admin.id, 'no-such-user', true)).rejects.toBeInstanceOf(NotFoundError);
  });

  it('refuses to rotate the keys of an unknown algorithm before touching anything', async () => {
    const keys = { maybeReload: () => Promise.reject(new Error('must not reload')) } as unknown as Parameters<typeof rotateKeys>[0]['keys'];
    await expect(rotateKeys({ ...deps(), keys }, 'HS256')).rejects.toMatchObject({ field: 'alg', reason: 'choose RS256 or ES256.' });
    expect(await db.stores.listKeys()).toEqual([]);
  });
});
