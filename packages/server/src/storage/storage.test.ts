import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql, type KyselyPlugin } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ACCESS_TOKEN_TTL_MAX } from '../core/config.js';
import { ConflictError, NotFoundError } from '../core/errors.js';
import type { SigningKey, TokenRecord } from '../core/model.js';
import type { NewClient } from '../core/stores.js';
import { testDatabases, type TestDatabase } from '../testing/databases.js';
import { KyselyStores, migrateToLatest, migrations, openDatabase, openStores } from './index.js';

const NOW = 1_750_000_000;

function newClient(overrides: Partial<NewClient> = {}): NewClient {
  return {
    id: `client-${randomUUID()}`,
    name: 'Example App',
    description: null,
    homepageUrl: 'https://app.example',
    logoUrl: null,
    redirectUris: ['https://app.example/callback'],
    tokenEndpointAuthMethod: 'client_secret_basic',
    scopes: ['openid', 'profile'],
    grantTypes: ['authorization_code', 'refresh_token'],
    visibility: 'internal',
    ownerUserId: null,
    ownerWorkspaceId: null,
    accessTokenTtl: null,
    refreshTokenTtl: 86400,
    idTokenSignedResponseAlg: 'RS256',
    accessTokenFormat: 'opaque',
    ...overrides,
  };
}

function token(overrides: Partial<TokenRecord> & Pick<TokenRecord, 'clientId'>): TokenRecord {
  return {
    tokenHash: `th-${randomUUID()}`,
    kind: 'access',
    jti: `jti-${randomUUID()}`,
    userId: null,
    grantId: null,
    familyId: 'family-1',
    scopes: ['openid'],
    workspaceIds: [],
    resource: null,
    authTime: NOW - 10,
    sessionId: null,
    createdAt: NOW,
    expiresAt: NOW + 3600,
    revokedAt: null,
    rotatedAt: null,
    successorBox: null,
    familyExpiresAt: null,
    ...overrides,
  };
}

function key(kid: string, state: SigningKey['state'], alg: SigningKey['alg'] = 'RS256'): SigningKey {
  return {
    kid,
    alg,
    state,
    publicJwk: JSON.stringify({ kid, kty: 'RSA' }),
    privateJwk: JSON.stringify({ kid, kty: 'RSA', d: 'secret' }),
    createdAt: NOW,
    activatedAt: state === 'current' ? NOW : null,
    retiredAt: null,
  };
}

async function conflictOf(promise: Promise<unknown>): Promise<ConflictError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ConflictError);
  return error as ConflictError;
}

describe.each(testDatabases())('storage on $name', ({ name, open }) => {
  let t: TestDatabase;
  let stores: KyselyStores;
  // Races between separate pools (processes) only exist on Postgres; SQLite installs run one process.
  const postgresOnly = name === 'postgres' ? it : ((() => undefined) as unknown as typeof it);

  beforeEach(async () => {
    t = await open();
    stores = t.stores;
  });
  afterEach(async () => {
    await t.close();
  });

  async function user(username = `user-${randomUUID().slice(0, 8)}`) {
    return stores.createUser({ username, passwordHash: 'argon2-hash' });
  }

  async function userAndClient() {
    const u = await user();
    const c = await stores.createClient(newClient());
    return { user: u, client: c };
  }

  describe('schema', () => {
    it('is migrated with the built-in scopes, and migrating again is a no-op', async () => {
      expect(stores.dialect).toBe(name);
      await stores.ping();
      const scopes = await stores.listScopes();
      expect(scopes.map((s) => s.name)).toEqual(['email', 'offline_access', 'openid', 'profile']);
      for (const scope of scopes) {
        expect(scope).toMatchObject({ builtin: true, requiresWorkspace: false });
        expect(scope.description.length).toBeGreaterThan(5);
      }
      expect(await migrateToLatest(stores.db)).toEqual([]);
    });

    it('reopens the same database from its URL', async () => {
      await user('reopened');
      const again = await openStores(t.url);
      try {
        expect(again.dialect).toBe(name);
        expect(await again.stores.findUserByUsername('REOPENED')).toMatchObject({ username: 'reopened' });
      } finally {
        await again.close();
        await again.close();
      }
    });
  });

  describe('users', () => {
    it('creates and finds users, case-insensitively by name', async () => {
      const created = await stores.createUser({
        username: 'Alice',
        passwordHash: 'hash-a',
        email: 'alice@example.com',
        emailVerified: true,
        name: 'Alice Liddell',
        isAdmin: true,
      });
      expect(created).toMatchObject({
        username: 'Alice',
        email: 'alice@example.com',
        emailVerified: true,
        name: 'Alice Liddell',
        picture: null,
        isAdmin: true,
        disabledAt: null,
      });
      expect(created.id).toMatch(/^[0-9a-f-]{36}$/);
      expect(await stores.findUserById(created.id)).toEqual(created);
      expect(await stores.findUserByUsername('aLiCe')).toEqual(created);
      expect(await stores.findCredentials('aLiCe')).toEqual({ user: created, passwordHash: 'hash-a' });
      expect(await stores.findCredentials('bob')).toBeUndefined();
      expect(await stores.findUserByUsername('bob')).toBeUndefined();
      expect(await stores.findUserById('nope')).toBeUndefined();
    });

    it('reads the password hash for sign-in only: no token, session, code or admin read returns it', async () => {
      // Every row the database returns through these stores, as the driver handed it over.
      const rows: Record<string, unknown>[] = [];
      const spy: KyselyPlugin = {
        transformQuery: (args) => args.node,
        transformResult: async (args) => {
          rows.push(...(args.result.rows as Record<string, unknown>[]));
          return args.result;
        },
      };
      const watched = new KyselyStores({ db: stores.db.withPlugin(spy), dialect: stores.dialect, close: async () => undefined });
      const carriesHash = () => rows.some((row) => Object.keys(row).some((column) => column.endsWith('password_hash')));

      const u = await watched.createUser({ username: 'carol', passwordHash: 'argon2-hash-c' });
      const c = await watched.createClient(newClient());
      const grant = await watched.saveGrant({ id: randomUUID(), userId: u.id, clientId: c.id, scopes: ['openid'], workspaceIds: [], now: NOW });
      const refresh = token({ clientId: c.id, userId: u.id, grantId: grant.id, kind: 'refresh' });
      await watched.insertTokens([refresh]);
      await watched.createSession({ idHash: 'sess-carol', userId: u.id, authTime: NOW, createdAt: NOW, expiresAt: NOW + 100 });
      rows.length = 0;

      expect(await watched.findUserById(u.id)).toMatchObject({ username: 'carol' });
      expect(await watched.listUsers({ search: 'carol' })).toHaveLength(1);
      expect(await watched.updateUser(u.id, { name: 'Carol' })).toMatchObject({ name: 'Carol' });
      expect((await watched.findSessionWithUser('sess-carol', NOW))?.user.id).toBe(u.id);
      expect((await watched.findTokenWithGrant(refresh.tokenHash))?.user?.id).toBe(u.id);
      expect((await watched.revokedSinceWithUser(['t:x'], NOW, u.id)).user?.id).toBe(u.id);
      const redeemed = await watched.redeemCode({ codeHash: `sealed-${randomUUID()}`, userId: u.id, grantId: grant.id, expiresAt: NOW + 60 }, NOW, [
        token({ clientId: c.id, userId: u.id, grantId: grant.id }),
      ]);
      expect(redeemed).toMatchObject({ status: 'redeemed', user: { id: u.id } });
      expect(rows.length).toBeGreaterThan(0);
      expect(carriesHash()).toBe(false);

      expect(await watched.findUserByUsername('carol')).toMatchObject({ username: 'carol' });
      expect(carriesHash()).toBe(false);
      expect(await watched.findCredentials('carol')).toMatchObject({ passwordHash: 'argon2-hash-c' });
      expect(carriesHash()).toBe(true);
    });

    it('rejects a username taken in another case', async () => {
      await stores.createUser({ username: 'Alice', passwordHash: 'x' });
      const error = await conflictOf(stores.createUser({ username: 'ALICE', passwordHash: 'y' }));
      expect(error.field).toBe('username');
      expect(await stores.countUsers()).toBe(1);
    });

    it('accepts a caller-chosen id', async () => {
      const created = await stores.createUser({ id: 'fixed-id', username: 'fixed', passwordHash: 'x' });
      expect(created.id).toBe('fixed-id');
    });

    it('lists, searches (LIKE wildcards are literal), pages and counts', async () => {
      await stores.createUser({ username: 'carol', passwordHash: 'x', email: 'carol@example.com' });
      await stores.createUser({ username: 'bob', passwordHash: 'x', name: 'Robert 100%' });
      await stores.createUser({ username: 'alice', passwordHash: 'x', email: 'ALICE@corp.example' });
      expect(await stores.countUsers()).toBe(3);
      expect((await stores.listUsers()).map((u) => u.username)).toEqual(['alice', 'bob', 'carol']);
      expect((await stores.listUsers({ limit: 1, offset: 1 })).map((u) => u.username)).toEqual(['bob']);
      expect((await stores.listUsers({ search: 'CORP' })).map((u) => u.username)).toEqual(['alice']);
      expect((await stores.listUsers({ search: 'rob' })).map((u) => u.username)).toEqual(['bob']);
      expect((await stores.listUsers({ search: '0%' })).map((u) => u.username)).toEqual(['bob']);
      expect(await stores.listUsers({ search: '%' })).toHaveLength(1);
      expect(await stores.listUsers({ search: '_' })).toHaveLength(0);
    });

    it('patches only the given fields', async () => {
      const u = await stores.createUser({ username: 'dave', passwordHash: 'old', email: 'd@example.com' });
      const updated = await stores.updateUser(u.id, { name: 'Dave', isAdmin: true, disabledAt: NOW, passwordHash: 'new' });
      expect(updated).toMatchObject({ name: 'Dave', isAdmin: true, disabledAt: NOW, email: 'd@example.com' });
      expect((await stores.findCredentials('dave'))?.passwordHash).toBe('new');
      expect(await stores.updateUser(u.id, { disabledAt: null, email: null })).toMatchObject({ disabledAt: null, email: null });
      expect(await stores.updateUser('missing', { name: 'x' })).toBeUndefined();
    });
  });

  describe('workspaces', () => {
    it('creates a workspace with its owner and manages members', async () => {
      const owner = await user('owner');
      const other = await user('other');
      const ws = await stores.createWorkspace({ name: 'Acme', slug: 'acme', ownerUserId: owner.id });
      expect(ws).toMatchObject({ name: 'Acme', slug: 'acme' });
      expect(await stores.findWorkspaceById(ws.id)).toEqual(ws);
      expect(await stores.findWorkspaceBySlug('acme')).toEqual(ws);
      expect(await stores.findWorkspaceBySlug('nope')).toBeUndefined();
      expect(await stores.findMembership(ws.id, owner.id)).toBe('owner');
      expect(await stores.findMembership(ws.id, other.id)).toBeUndefined();

      await stores.setMember(ws.id, other.id, 'member');
      await stores.setMember(ws.id, other.id, 'admin');
      expect(await stores.listMembers(ws.id)).toEqual([
        { userId: other.id, username: 'other', name: null, role: 'admin', joinedAt: expect.any(Number) },
        { userId: owner.id, username: 'owner', name: null, role: 'owner', joinedAt: ws.createdAt },
      ]);

      const second = await stores.createWorkspace({ name: 'Beta', slug: 'beta', ownerUserId: other.id });
      expect(await stores.listWorkspacesForUser(other.id)).toEqual([
        { ...ws, role: 'admin' },
        { ...second, role: 'owner' },
      ]);
      expect(await stores.findWorkspacesByIds([second.id, ws.id, 'missing'])).toEqual([ws, second]);
      expect(await stores.findWorkspacesByIds([])).toEqual([]);

      await stores.removeMember(ws.id, other.id);
      expect(await stores.findMembership(ws.id, other.id)).toBeUndefined();
      expect(await stores.listWorkspacesForUser(other.id)).toEqual([{ ...second, role: 'owner' }]);
    });

    it('rejects a taken slug and leaves nothing behind', async () => {
      const owner = await user();
      await stores.createWorkspace({ name: 'Acme', slug: 'acme', ownerUserId: owner.id });
      const other = await user();
      const error = await conflictOf(stores.createWorkspace({ name: 'Acme 2', slug: 'acme', ownerUserId: other.id }));
      expect(error.field).toBe('slug');
      expect(await stores.listWorkspacesForUser(other.id)).toEqual([]);
    });
  });

  describe('scopes', () => {
    it('creates, upserts, finds and deletes scopes', async () => {
      const scope = { name: 'billing:read', description: 'Read invoices', requiresWorkspace: true, builtin: false };
      expect(await stores.createScope(scope)).toEqual(scope);
      expect((await conflictOf(stores.createScope(scope))).field).toBe('name');

      expect(await stores.upsertScope({ ...scope, description: 'See invoices', requiresWorkspace: false })).toEqual({ created: false });
      expect(await stores.upsertScope({ name: 'billing:write', description: 'Pay', requiresWorkspace: true, builtin: false })).toEqual({
        created: true,
      });
      // A re-import cannot demote a built-in.
      expect(await stores.upsertScope({ name: 'email', description: 'Your email', requiresWorkspace: false, builtin: false })).toEqual({
        created: false,
      });

      expect(await stores.findScopes(['billing:read', 'email', 'unknown'])).toEqual([
        { name: 'billing:read', description: 'See invoices', requiresWorkspace: false, builtin: false },
        { name: 'email', description: 'Your email', requiresWorkspace: false, builtin: true },
      ]);
      expect(await stores.findScopes([])).toEqual([]);
      expect(await stores.listScopes()).toHaveLength(6);
      expect(await stores.deleteScope('billing:write')).toBe(true);
      expect(await stores.deleteScope('billing:write')).toBe(false);
    });
  });

  describe('clients', () => {
    it('creates a client with its first secret, finds, lists and updates it', async () => {
      const owner = await user();
      const input = newClient({ ownerUserId: owner.id, description: 'Desc', verified: true });
      const secret = { id: 'sec-1', secretHash: 'hash-1', displayPrefix: 'gcs_AbCd…', createdAt: NOW, expiresAt: null };
      const created = await stores.createClient(input, secret);
      const { verified: _verified, ...rest } = input;
      expect(created).toMatchObject({ ...rest, verified: true });
      expect(await stores.findClient(input.id)).toEqual(created);
      expect(await stores.findClient('missing')).toBeUndefined();
      expect(await stores.listActiveSecrets(input.id, NOW)).toEqual([{ ...secret, clientId: input.id }]);
      expect((await conflictOf(stores.createClient(newClient({ id: input.id })))).field).toBe('client_id');

      const ws = await stores.createWorkspace({ name: 'W', slug: 'w', ownerUserId: owner.id });
      const wsClient = await stores.createClient(newClient({ ownerWorkspaceId: ws.id, visibility: 'public' }));
      const unowned = await stores.createClient(newClient({ visibility: 'public' }));
      expect((await stores.listClients()).map((c) => c.id).sort()).toEqual([input.id, wsClient.id, unowned.id].sort());
      expect((await stores.listClients({ ownerUserId: owner.id })).map((c) => c.id)).toEqual([input.id]);
      expect((await stores.listClients({ ownerUserId: owner.id, ownerWorkspaceIds: [ws.id] })).map((c) => c.id).sort()).toEqual(
        [input.id, wsClient.id].sort(),
      );
      expect((await stores.listClients({ ownerWorkspaceIds: [ws.id], visibility: 'internal' })).map((c) => c.id)).toEqual([]);
      expect(await stores.listClients({ ownerWorkspaceIds: [] })).toEqual([]);
      expect((await stores.listClients({ visibility: 'public' })).map((c) => c.id).sort()).toEqual([wsClient.id, unowned.id].sort());

      const updated = await stores.updateClient(input.id, {
        name: 'Renamed',
        redirectUris: ['https://a.example/cb', 'https://b.example/cb'],
        accessTokenTtl: 600,
        description: null,
        verified: false,
      });
      expect(updated).toMatchObject({
        name: 'Renamed',
        redirectUris: ['https://a.example/cb', 'https://b.example/cb'],
        accessTokenTtl: 600,
        description: null,
        verified: false,
        scopes: input.scopes,
        grantTypes: input.grantTypes,
      });
      expect(await stores.updateClient('missing', { name: 'x' })).toBeUndefined();
    });

    it('rotates secrets with a grace period and filters expired ones', async () => {
      const c = await stores.createClient(newClient(), { id: 's1', secretHash: 'h1', displayPrefix: 'p1', createdAt: NOW, expiresAt: null });
      await stores.rotateSecret(c.id, { id: 's2', secretHash: 'h2', displayPrefix: 'p2', createdAt: NOW + 1, expiresAt: null }, NOW + 100);
      expect((await stores.listActiveSecrets(c.id, NOW + 50)).map((s) => [s.id, s.expiresAt])).toEqual([
        ['s2', null],
        ['s1', NOW + 100],
      ]);
      // A secret already expiring earlier keeps its earlier time.
      await stores.rotateSecret(c.id, { id: 's3', secretHash: 'h3', displayPrefix: 'p3', createdAt: NOW + 2, expiresAt: null }, NOW + 500);
      const active = await stores.listActiveSecrets(c.id, NOW + 50);
      expect(active.map((s) => [s.id, s.expiresAt])).toEqual([
        ['s3', null],
        ['s2', NOW + 500],
        ['s1', NOW + 100],
      ]);
      expect((await stores.listActiveSecrets(c.id, NOW + 100)).map((s) => s.id)).toEqual(['s3', 's2']);
      expect((await stores.listActiveSecrets(c.id, NOW + 1000)).map((s) => s.id)).toEqual(['s3']);
    });

    it('deleting a client cascades to its secrets, grants and tokens', async () => {
      const { user: u, client: c } = await userAndClient();
      const keep = await stores.createClient(newClient());
      await stores.rotateSecret(c.id, { id: 'sx', secretHash: 'hx', displayPrefix: 'px', createdAt: NOW, expiresAt: null }, NOW);
      const grant = await stores.saveGrant({ id: randomUUID(), userId: u.id, clientId: c.id, scopes: ['openid'], workspaceIds: [], now: NOW });
      const keptGrant = await stores.saveGrant({ id: randomUUID(), userId: u.id, clientId: keep.id, scopes: ['openid'], workspaceIds: [], now: NOW });
      const tk = token({ clientId: c.id, userId: u.id, grantId: grant.id });
      const kept = token({ clientId: keep.id, userId: u.id, grantId: keptGrant.id });
      await stores.insertTokens([tk, kept]);
      expect(await stores.countGrants(c.id)).toBe(1);

      expect(await stores.deleteClient(c.id, NOW)).toBe(true);
      expect(await stores.deleteClient(c.id, NOW)).toBe(false);
      expect(await stores.findClient(c.id)).toBeUndefined();
      expect(await stores.listActiveSecrets(c.id, NOW - 1)).toEqual([]);
      expect(await stores.findGrantById(grant.id)).toBeUndefined();
      expect(await stores.findToken(tk.tokenHash)).toBeUndefined();
      expect(await stores.findToken(kept.tokenHash)).toEqual(kept);
      expect(await stores.findGrantById(keptGrant.id)).toEqual(keptGrant);
    });

    it('deleting a user cascades to memberships, sessions, grants and tokens', async () => {
      const { user: u, client: c } = await userAndClient();
      const ws = await stores.createWorkspace({ name: 'W', slug: `w-${randomUUID()}`, ownerUserId: u.id });
      await stores.createSession({ idHash: 'sess', userId: u.id, authTime: NOW, createdAt: NOW, expiresAt: NOW + 60 });
      const grant = await stores.saveGrant({ id: randomUUID(), userId: u.id, clientId: c.id, scopes: [], workspaceIds: [], now: NOW });
      const tk = token({ clientId: c.id, userId: u.id, grantId: grant.id });
      await stores.insertTokens([tk]);
      await stores.db.deleteFrom('users').where('id', '=', u.id).execute();
      expect(await stores.listMembers(ws.id)).toEqual([]);
      expect(await stores.findSessionWithUser('sess', NOW)).toBeUndefined();
      expect(await stores.findGrantById(grant.id)).toBeUndefined();
      expect(await stores.findToken(tk.tokenHash)).toBeUndefined();
    });
  });

  describe('signing keys', () => {
    it('inserts keys, ignoring a second current or next for one alg', async () => {
      expect(await stores.insertKeys([key('k1', 'current'), key('k2', 'next'), key('e1', 'current', 'ES256')])).toBe(3);
      // Another instance bootstrapping at the same time loses quietly.
      expect(await stores.insertKeys([key('k3', 'current'), key('k4', 'next'), key('e2', 'next', 'ES256')])).toBe(1);
      expect(await stores.insertKeys([])).toBe(0);
      const keys = await stores.listKeys();
      expect(keys.map((k) => [k.kid, k.state]).sort()).toEqual([
        ['e1', 'current'],
        ['e2', 'next'],
        ['k1', 'current'],
        ['k2', 'next'],
      ]);
      expect(keys.find((k) => k.kid === 'k1')).toEqual(key('k1', 'current'));
    });

    it('rotates next → current → retired, and refuses without a next', async () => {
      await stores.insertKeys([key('k1', 'current'), key('k2', 'next'), key('e1', 'current', 'ES256')]);
      expect(await stores.rotateKeys('RS256', key('k3', 'next'), NOW + 10)).toBe(true);
      const byKid = new Map((await stores.listKeys()).map((k) => [k.kid, k]));
      expect(byKid.get('k1')).toMatchObject({ state: 'retired', retiredAt: NOW + 10 });
      expect(byKid.get('k2')).toMatchObject({ state: 'current', activatedAt: NOW + 10 });
      expect(byKid.get('k3')).toMatchObject({ state: 'next' });
      expect(byKid.get('e1')).toMatchObject({ state: 'current' });
      expect(await stores.rotateKeys('ES256', key('e2', 'next', 'ES256'), NOW + 10)).toBe(false);

      expect(await stores.deleteRetiredBefore(NOW + 10)).toBe(0);
      expect(await stores.deleteRetiredBefore(NOW + 11)).toBe(1);
      expect((await stores.listKeys()).map((k) => k.kid).sort()).toEqual(['e1', 'k2', 'k3']);
    });

    it('keeps one current and one next key through concurrent rotations', async () => {
      await stores.insertKeys([key('k1', 'current'), key('k2', 'next')]);
      const results = await Promise.all(
        Array.from({ length: 5 }, (_, i) => stores.rotateKeys('RS256', key(`n${i}`, 'next'), NOW + 10)),
      );
      // Each call that reports true made one whole rotation; overlapping ones on Postgres see the
      // first one's result and report false rather than rotating from a stale view.
      const rotations = results.filter(Boolean).length;
      expect(rotations).toBeGreaterThanOrEqual(1);
      const keys = await stores.listKeys();
      expect(keys.filter((k) => k.state === 'current')).toHaveLength(1);
      expect(keys.filter((k) => k.state === 'next')).toHaveLength(1);
      expect(keys.filter((k) => k.state === 'retired')).toHaveLength(rotations);
      expect(keys).toHaveLength(2 + rotations);
    });
  });

  describe('sessions', () => {
    it('creates, finds unexpired, and deletes sessions', async () => {
      const u = await user();
      const session = { idHash: 'sess-a', userId: u.id, authTime: NOW - 5, createdAt: NOW, expiresAt: NOW + 100 };
      await stores.createSession(session);
      await stores.createSession({ ...session, idHash: 'sess-b' });
      await stores.createSession({ ...session, idHash: 'sess-c' });
      // The session's own created_at and expires_at, not its user's.
      expect(await stores.findSessionWithUser('sess-a', NOW)).toEqual({ session, user: await stores.findUserById(u.id) });
      expect(await stores.findSessionWithUser('sess-a', NOW + 100)).toBeUndefined();
      expect(await stores.findSessionWithUser('nope', NOW)).toBeUndefined();
      await stores.deleteSession('sess-a');
      expect(await stores.findSessionWithUser('sess-a', NOW)).toBeUndefined();
      expect(await stores.findSessionWithUser('sess-b', NOW)).toBeDefined();
      await stores.deleteSessionsForUser(u.id);
      expect(await stores.findSessionWithUser('sess-b', NOW)).toBeUndefined();
      expect(await stores.findSessionWithUser('sess-c', NOW)).toBeUndefined();
    });
  });

  describe('interactions', () => {
    it('finds unexpired interactions and consumes each exactly once', async () => {
      const interaction = { idHash: 'ia', clientId: 'c', request: '{"scope":"openid"}', createdAt: NOW, expiresAt: NOW + 60 };
      await stores.createInteraction(interaction);
      expect(await stores.findInteraction('ia', NOW)).toEqual(interaction);
      expect(await stores.findInteraction('ia', NOW + 60)).toBeUndefined();
      const results = await Promise.all([stores.consumeInteraction('ia', NOW), stores.consumeInteraction('ia', NOW)]);
      expect(results.filter(Boolean)).toEqual([interaction]);
      expect(await stores.consumeInteraction('ia', NOW)).toBeUndefined();
      expect(await stores.findInteraction('ia', NOW)).toBeUndefined();

      await stores.createInteraction({ ...interaction, idHash: 'expired', expiresAt: NOW });
      expect(await stores.consumeInteraction('expired', NOW)).toBeUndefined();
    });
  });

  describe('grants', () => {
    it('reads a token with its user and grant, each absent on its own', async () => {
      const { user: u, client: c } = await userAndClient();
      const grant = await stores.saveGrant({ id: randomUUID(), userId: u.id, clientId: c.id, scopes: ['openid', 'email'], workspaceIds: ['w1'], now: NOW });
      await stores.touchGrant(grant.id, NOW + 4);
      const user = await stores.findUserById(u.id);
      const used = { ...grant, lastUsedAt: NOW + 4 };
      const full = token({ clientId: c.id, userId: u.id, grantId: grant.id, kind: 'refresh', workspaceIds: ['w1'], familyExpiresAt: NOW + 99 });
      const noGrant = token({ clientId: c.id, userId: u.id, grantId: 'no-such-grant', kind: 'refresh' });
      const service = token({ clientId: c.id });
      await stores.insertTokens([full, noGrant, service]);
      // The token's, user's and grant's own created_at (and the rest), none taken for another's.
      expect(await stores.findTokenWithGrant(full.tokenHash)).toEqual({ token: full, user, grant: used });
      expect(await stores.findTokenWithGrant(noGrant.tokenHash)).toEqual({ token: noGrant, user, grant: undefined });
      expect(await stores.findTokenWithGrant(service.tokenHash)).toEqual({ token: service, user: undefined, grant: undefined });
      expect(await stores.findTokenWithGrant('unknown')).toBeUndefined();
      await stores.revokeGrant(grant.id, NOW + 5);
      expect((await stores.findTokenWithGrant(full.tokenHash))?.grant?.revokedAt).toBe(NOW + 5);
    });

    it('keeps one live grant per user and client, replacing its scopes', async () => {
      const { user: u, client: c } = await userAndClient();
      const first = await stores.saveGrant({ id: 'g1', userId: u.id, clientId: c.id, scopes: ['openid'], workspaceIds: [], now: NOW });
      expect(first).toEqual({
        id: 'g1',
        userId: u.id,
        clientId: c.id,
        scopes: ['openid'],
        workspaceIds: [],
        createdAt: NOW,
        updatedAt: NOW,
        lastUsedAt: null,
        revokedAt: null,
      });
      const second = await stores.saveGrant({ id: 'g2', userId: u.id, clientId: c.id, scopes: ['openid', 'email'], workspaceIds: ['w1'], now: NOW + 5 });
      expect(second).toEqual({ ...first, scopes: ['openid', 'email'], workspaceIds: ['w1'], updatedAt: NOW + 5 });
      expect(await stores.findGrant(u.id, c.id)).toEqual(second);
      expect(await stores.findGrantById('g1')).toEqual(second);
      expect(await stores.findGrantById('g2')).toBeUndefined();
      expect(await stores.listGrantsForUser(u.id)).toEqual([second]);
      expect(await stores.countGrants(c.id)).toBe(1);

      await stores.touchGrant('g1', NOW + 7);
      expect((await stores.findGrantById('g1'))?.lastUsedAt).toBe(NOW + 7);
    });

    it('converges concurrent consents on one live grant', async () => {
      const { user: u, client: c } = await userAndClient();
      const saved = await Promise.all(
        Array.from({ length: 10 }, (_, i) =>
          stores.saveGrant({ id: randomUUID(), userId: u.id, clientId: c.id, scopes: [`s${i}`], workspaceIds: [], now: NOW + i }),
        ),
      );
      expect(new Set(saved.map((g) => g.id)).size).toBe(1);
      const rows = await stores.db.selectFrom('grants').select('id').where('user_id', '=', u.id).execute();
      expect(rows).toHaveLength(1);
      expect(await stores.countGrants(c.id)).toBe(1);
    });

    it('revokes a grant with all its tokens; the next consent starts a new grant', async () => {
      const { user: u, client: c } = await userAndClient();
      const grant = await stores.saveGrant({ id: 'g1', userId: u.id, clientId: c.id, scopes: ['openid'], workspaceIds: [], now: NOW });
      const access = token({ clientId: c.id, userId: u.id, grantId: grant.id });
      const refresh = token({ clientId: c.id, userId: u.id, grantId: grant.id, kind: 'refresh' });
      const alreadyRevoked = token({ clientId: c.id, userId: u.id, grantId: grant.id, revokedAt: NOW - 1 });
      const unrelated = token({ clientId: c.id, userId: u.id, grantId: null });
      await stores.insertTokens([access, refresh, alreadyRevoked, unrelated]);

      expect(await stores.revokeGrant(grant.id, NOW + 1)).toBe(true);
      expect(await stores.revokeGrant(grant.id, NOW + 2)).toBe(false);
      expect(await stores.revokeGrant('missing', NOW + 2)).toBe(false);
      expect((await stores.findGrantById(grant.id))?.revokedAt).toBe(NOW + 1);
      expect(await stores.findGrant(u.id, c.id)).toBeUndefined();
      expect(await stores.listGrantsForUser(u.id)).toEqual([]);
      expect(await stores.countGrants(c.id)).toBe(0);
      expect((await stores.findToken(access.tokenHash))?.revokedAt).toBe(NOW + 1);
      expect((await stores.findToken(refresh.tokenHash))?.revokedAt).toBe(NOW + 1);
      expect((await stores.findToken(alreadyRevoked.tokenHash))?.revokedAt).toBe(NOW - 1);
      expect((await stores.findToken(unrelated.tokenHash))?.revokedAt).toBeNull();

      const fresh = await stores.saveGrant({ id: 'g2', userId: u.id, clientId: c.id, scopes: ['email'], workspaceIds: [], now: NOW + 3 });
      expect(fresh.id).toBe('g2');
      expect(await stores.findGrant(u.id, c.id)).toEqual(fresh);
    });
  });

  describe('authorization codes', () => {
    it('redeems a sealed code once, with the user and grant as they are now, and marks a replay', async () => {
      const { user: u, client: c } = await userAndClient();
      const grant = await stores.saveGrant({ id: randomUUID(), userId: u.id, clientId: c.id, scopes: ['openid'], workspaceIds: [], now: NOW });
      const sealed = { codeHash: `sealed-${randomUUID()}`, userId: u.id, grantId: grant.id, expiresAt: NOW + 60 };
      expect(await stores.redeemCode(sealed, NOW + 1)).toEqual({ status: 'redeemed', user: await stores.findUserById(u.id), grant });
      expect(await stores.redeemCode(sealed, NOW + 2)).toEqual({ status: 'replayed' });
      expect(await stores.redeemCode(sealed, NOW + 3)).toEqual({ status: 'replayed' });
      // The first replay's time stays.
      expect(await stores.db.selectFrom('code_redemptions').selectAll().where('code_hash', '=', sealed.codeHash).execute()).toEqual([
        { code_hash: sealed.codeHash, expires_at: NOW + 60, replayed_at: NOW + 2 },
      ]);

      await stores.revokeGrant(grant.id, NOW + 4);
      const other = { ...sealed, codeHash: `sealed-${randomUUID()}` };
      expect(await stores.redeemCode(other, NOW + 5)).toEqual({ status: 'redeemed', user: await stores.findUserById(u.id), grant: { ...grant, revokedAt: NOW + 4 } });
      const gone = { ...sealed, codeHash: `sealed-${randomUUID()}`, userId: 'no-such-user', grantId: 'no-such-grant' };
      expect(await stores.redeemCode(gone, NOW + 5)).toEqual({ status: 'redeemed', user: undefined, grant: undefined });
    });

    it("stores a sealed code's tokens with its first redemption only, and only while its grant is live", async () => {
      const { user: u, client: c } = await userAndClient();
      const grant = await stores.saveGrant({ id: randomUUID(), userId: u.id, clientId: c.id, scopes: ['openid'], workspaceIds: [], now: NOW });
      const sealed = () => ({ codeHash: `sealed-${randomUUID()}`, userId: u.id, grantId: grant.id, expiresAt: NOW + 60 });
      const issued = () => token({ clientId: c.id, userId: u.id, grantId: grant.id, kind: 'refresh' });
      const first = sealed();
      const [refresh, access] = [issued(), { ...issued(), kind: 'access' as const }];
      expect(await stores.redeemCode(first, NOW + 1, [access, refresh])).toEqual({ status: 'redeemed', user: await stores.findUserById(u.id), grant });
      expect(await stores.findToken(refresh.tokenHash)).toEqual(refresh);
      expect(await stores.findToken(access.tokenHash)).toEqual(access);
      const late = issued();
      expect(await stores.redeemCode(first, NOW + 2, [late])).toEqual({ status: 'replayed' });
      expect(await stores.findToken(late.tokenHash)).toBeUndefined();

      const disabled = issued();
      await stores.updateUser(u.id, { disabledAt: NOW + 3 });
      expect(await stores.redeemCode(sealed(), NOW + 3, [disabled])).toMatchObject({ status: 'redeemed', user: { disabledAt: NOW + 3 } });
      expect(await stores.findToken(disabled.tokenHash)).toBeUndefined();
      await stores.updateUser(u.id, { disabledAt: null });

      const revoked = issued();
      await stores.revokeGrant(grant.id, NOW + 4);
      expect(await stores.redeemCode(sealed(), NOW + 4, [revoked])).toMatchObject({ status: 'redeemed', grant: { revokedAt: NOW + 4 } });
      expect(await stores.findToken(revoked.tokenHash)).toBeUndefined();

      const orphan = issued();
      expect(await stores.redeemCode({ ...sealed(), userId: 'no-such-user', grantId: 'no-such-grant' }, NOW + 5, [orphan])).toEqual({ status: 'redeemed', user: undefined, grant: undefined });
      expect(await stores.findToken(orphan.tokenHash)).toBeUndefined();
    });

    it('stores the tokens of exactly one of 20 concurrent redemptions of a sealed code', async () => {
      const { user: u, client: c } = await userAndClient();
      const grant = await stores.saveGrant({ id: randomUUID(), userId: u.id, clientId: c.id, scopes: [], workspaceIds: [], now: NOW });
      const sealed = { codeHash: `sealed-${randomUUID()}`, userId: u.id, grantId: grant.id, expiresAt: NOW + 60 };
      const tokens = Array.from({ length: 20 }, () => token({ clientId: c.id, userId: u.id, grantId: grant.id, kind: 'refresh' }));
      const results = await Promise.all(tokens.map((issued) => stores.redeemCode(sealed, NOW + 1, [issued])));
      const stored = await Promise.all(tokens.map((issued) => stores.findToken(issued.tokenHash)));
      expect(results.map((r) => r.status === 'redeemed')).toEqual(stored.map((found) => found !== undefined));
      expect(stored.filter(Boolean)).toHaveLength(1);
    });

    it('gives exactly one of 20 concurrent redemptions of a sealed code the code', async () => {
      const { user: u } = await userAndClient();
      const sealed = { codeHash: `sealed-${randomUUID()}`, userId: u.id, grantId: 'g', expiresAt: NOW + 60 };
      const results = await Promise.all(Array.from({ length: 20 }, () => stores.redeemCode(sealed, NOW + 1)));
      expect(results.filter((r) => r.status === 'redeemed')).toHaveLength(1);
      expect(results.filter((r) => r.status === 'replayed')).toHaveLength(19);
    });

  });

  describe('tokens', () => {
    it('stores concurrent inserts from many callers, and a bad row fails only its own caller', async () => {
      const { user: u, client: c } = await userAndClient();
      const batches = Array.from({ length: 40 }, () => [token({ clientId: c.id, userId: u.id }), token({ clientId: c.id, userId: u.id, kind: 'refresh' })]);
      // The bad row collides with one stored before, so it fails whichever insert of the burst
      // commits first (on Postgres they race); on SQLite it sits in the middle of a group commit.
      const existing = token({ clientId: c.id, userId: u.id });
      await stores.insertTokens([existing]);
      const duplicate = token({ clientId: c.id, userId: u.id, tokenHash: existing.tokenHash });
      const calls = [...batches.slice(0, 20), [duplicate], ...batches.slice(20)];
      const results = await Promise.allSettled(calls.map((batch) => stores.insertTokens(batch)));
      expect(results.map((result) => result.status)).toEqual(calls.map((batch) => (batch[0] === duplicate ? 'rejected' : 'fulfilled')));
      for (const batch of batches) for (const record of batch) expect(await stores.findToken(record.tokenHash)).toEqual(record);
      expect(await stores.findToken(existing.tokenHash)).toEqual(existing);
    });

    it('stores and finds tokens by hash', async () => {
      const { user: u, client: c } = await userAndClient();
      const access = token({ clientId: c.id, userId: u.id, scopes: ['openid', 'email'], workspaceIds: ['w1', 'w2'], resource: 'https://api' });
      const refresh = token({ clientId: c.id, userId: u.id, kind: 'refresh', familyExpiresAt: NOW + 1_000_000, sessionId: 's1' });
      await stores.insertTokens([access, refresh]);
      await stores.insertTokens([]);
      expect(await stores.findToken(access.tokenHash)).toEqual(access);
      expect(await stores.findToken(refresh.tokenHash)).toEqual(refresh);
      expect(await stores.findToken('nope')).toBeUndefined();
    });

    it('revokes one token, a family, or everything of a user', async () => {
      const { user: u, client: c } = await userAndClient();
      const other = await user();
      const a = token({ clientId: c.id, userId: u.id, familyId: 'f1' });
      const b = token({ clientId: c.id, userId: u.id, familyId: 'f1', kind: 'refresh' });
      const d = token({ clientId: c.id, userId: u.id, familyId: 'f2' });
      const e = token({ clientId: c.id, userId: other.id, familyId: 'f3' });
      await stores.insertTokens([a, b, d, e]);

      expect(await stores.revokeToken(a.tokenHash, NOW + 1)).toBe(true);
      expect(await stores.revokeToken(a.tokenHash, NOW + 2)).toBe(false);
      expect(await stores.revokeToken('nope', NOW + 2)).toBe(false);
      expect(await stores.revokeFamily('f1', NOW + 3)).toBe(1);
      expect((await stores.findToken(a.tokenHash))?.revokedAt).toBe(NOW + 1);
      expect((await stores.findToken(b.tokenHash))?.revokedAt).toBe(NOW + 3);
      expect(await stores.revokeTokensForUser(u.id, NOW + 4)).toBe(1);
      expect((await stores.findToken(d.tokenHash))?.revokedAt).toBe(NOW + 4);
      expect((await stores.findToken(e.tokenHash))?.revokedAt).toBeNull();
    });

    it('lists revoked subjects: one probe answers for all of them, revoked at or after the issue time', async () => {
      const { user: u, client: c } = await userAndClient();
      expect(await stores.anyRevokedSince(['t:a', 'f:b'], NOW)).toBe(false);
      await stores.revokeSubject('t:a', NOW + 5, NOW + 100);
      expect(await stores.anyRevokedSince(['t:a', 'f:b'], NOW)).toBe(true);
      expect(await stores.anyRevokedSince(['f:b', 't:a'], NOW + 5)).toBe(true);
      // Issued after the revocation: not covered (a user enabled again gets working tokens).
      expect(await stores.anyRevokedSince(['t:a'], NOW + 6)).toBe(false);
      expect(await stores.anyRevokedSince(['t:x', 'f:y', 'g:z', 'u:w', 'c:v'], NOW)).toBe(false);
      // Revoking again moves the times forward, never back.
      await stores.revokeSubject('t:a', NOW + 1, NOW + 50);
      expect(await stores.anyRevokedSince(['t:a'], NOW + 5)).toBe(true);
      await stores.revokeSubject('t:a', NOW + 9, NOW + 200);
      expect(await stores.anyRevokedSince(['t:a'], NOW + 9)).toBe(true);
      const row = await stores.db.selectFrom('revocations').selectAll().where('subject', '=', 't:a').executeTakeFirstOrThrow();
      expect(row).toEqual({ subject: 't:a', revoked_at: NOW + 9, expires_at: NOW + 200 });

      // Family, user, grant and client revocations list their subject for sealed access tokens.
      await stores.revokeFamily('fam', NOW + 10);
      await stores.revokeTokensForUser(u.id, NOW + 11);
      const grant = await stores.saveGrant({ id: 'gr-list', userId: u.id, clientId: c.id, scopes: ['openid'], workspaceIds: [], now: NOW });
      await stores.revokeGrant(grant.id, NOW + 12);
      await stores.deleteClient(c.id, NOW + 13);
      for (const [subject, at] of [['f:fam', NOW + 10], [`u:${u.id}`, NOW + 11], ['g:gr-list', NOW + 12], [`c:${c.id}`, NOW + 13]] as const) {
        expect(await stores.anyRevokedSince([subject], at)).toBe(true);
        expect(await stores.anyRevokedSince([subject], at + 1)).toBe(false);
        const listed = await stores.db.selectFrom('revocations').select('expires_at').where('subject', '=', subject).executeTakeFirstOrThrow();
        expect(listed.expires_at).toBe(at + ACCESS_TOKEN_TTL_MAX);
      }
    });

    it('answers the revocation probe and reads the user in one read', async () => {
      const { user: u } = await userAndClient();
      expect(await stores.revokedSinceWithUser(['t:w1', 'f:w2'], NOW, u.id)).toEqual({ revoked: false, user: await stores.findUserById(u.id) });
      expect(await stores.revokedSinceWithUser(['t:w1'], NOW, 'no-such-user')).toEqual({ revoked: false, user: undefined });
      await stores.revokeSubject('f:w2', NOW + 5, NOW + 100);
      expect(await stores.revokedSinceWithUser(['t:w1', 'f:w2'], NOW, u.id)).toMatchObject({ revoked: true, user: { id: u.id, username: u.username } });
      expect(await stores.revokedSinceWithUser(['t:w1', 'f:w2'], NOW + 6, u.id)).toMatchObject({ revoked: false, user: { id: u.id } });
      expect(await stores.revokedSinceWithUser(['f:w2'], NOW, 'no-such-user')).toEqual({ revoked: true, user: undefined });
    });

    it('undoes a rotation whose successor cannot be stored, without touching the rotations beside it', async () => {
      const { user: u, client: c } = await userAndClient();
      const doomed = token({ clientId: c.id, userId: u.id, kind: 'refresh' });
      const fine = token({ clientId: c.id, userId: u.id, kind: 'refresh' });
      await stores.insertTokens([doomed, fine]);
      const [failed, rotated] = await Promise.allSettled([
        stores.rotateRefreshToken(doomed.tokenHash, [token({ clientId: 'no-such-client', userId: u.id, kind: 'refresh' })], 'box-1', NOW + 1),
        stores.rotateRefreshToken(fine.tokenHash, [token({ clientId: c.id, userId: u.id, kind: 'refresh' })], 'box-2', NOW + 1),
      ]);
      // Reported as the missing client it is (the token endpoint answers invalid_client), not a raw database error.
      expect(failed.status === 'rejected' && failed.reason).toBeInstanceOf(NotFoundError);
      expect(rotated).toEqual({ status: 'fulfilled', value: { status: 'rotated' } });
      // The failed rotation's update was rolled back with it: the token can still be rotated.
      expect(await stores.findToken(doomed.tokenHash)).toMatchObject({ rotatedAt: null, successorBox: null });
      expect(await stores.findToken(fine.tokenHash)).toMatchObject({ rotatedAt: NOW + 1, successorBox: 'box-2' });
    });

    it('rotates a refresh token once; losers get the stored successor box', async () => {
      const { user: u, client: c } = await userAndClient();
      const old = token({ clientId: c.id, userId: u.id, kind: 'refresh', familyExpiresAt: NOW + 10_000 });
      await stores.insertTokens([old]);
      const attempts = Array.from({ length: 20 }, (_, i) => ({
        box: `box-${i}`,
        successors: [
          token({ clientId: c.id, userId: u.id, kind: 'refresh', tokenHash: `r-${i}`, jti: `rj-${i}`, familyExpiresAt: NOW + 10_000, workspaceIds: ['w1'], resource: 'https://api.example', sessionId: 'sid' }),
          token({ clientId: c.id, userId: u.id, kind: 'access', tokenHash: `a-${i}`, jti: `aj-${i}` }),
        ],
      }));
      const results = await Promise.all(attempts.map((a) => stores.rotateRefreshToken(old.tokenHash, a.successors, a.box, NOW + 1)));
      const winners = results.flatMap((r, i) => (r.status === 'rotated' ? [i] : []));
      expect(winners).toHaveLength(1);
      const winner = winners[0]!;
      for (const r of results) {
        if (r.status === 'already-rotated') expect(r.token).toMatchObject({ rotatedAt: NOW + 1, successorBox: `box-${winner}` });
      }
      const stored = await stores.db.selectFrom('tokens').select('token_hash').where('token_hash', '!=', old.tokenHash).execute();
      expect(stored.map((r) => r.token_hash).sort()).toEqual([`a-${winner}`, `r-${winner}`]);
      // Every field of the successors is stored as given.
      for (const successor of attempts[winner]!.successors) expect(await stores.findToken(successor.tokenHash)).toEqual(successor);
    });

    it('does not rotate revoked or access tokens, and reports unknown ones', async () => {
      const { user: u, client: c } = await userAndClient();
      const revoked = token({ clientId: c.id, userId: u.id, kind: 'refresh', revokedAt: NOW });
      const access = token({ clientId: c.id, userId: u.id, kind: 'access' });
      await stores.insertTokens([revoked, access]);
      const successor = token({ clientId: c.id, userId: u.id, kind: 'refresh' });
      expect(await stores.rotateRefreshToken(revoked.tokenHash, [successor], 'box', NOW + 1)).toEqual({ status: 'already-rotated', token: revoked });
      expect(await stores.rotateRefreshToken(access.tokenHash, [successor], 'box', NOW + 1)).toEqual({ status: 'already-rotated', token: access });
      expect(await stores.findToken(successor.tokenHash)).toBeUndefined();
      await expect(stores.rotateRefreshToken('unknown', [successor], 'box', NOW + 1)).rejects.toBeInstanceOf(NotFoundError);
    });

    postgresOnly('family and grant revocation also catch successors of a rotation committing meanwhile', async () => {
      const second = await openStores(t.url);
      try {
        const { user: u, client: c } = await userAndClient();
        const grant = await stores.saveGrant({ id: randomUUID(), userId: u.id, clientId: c.id, scopes: [], workspaceIds: [], now: NOW });
        for (const revoke of [
          (familyId: string) => stores.revokeFamily(familyId, NOW + 1),
          () => stores.revokeGrant(grant.id, NOW + 1),
        ]) {
          const familyId = randomUUID();
          const old = token({ clientId: c.id, userId: u.id, grantId: grant.id, familyId, kind: 'refresh' });
          const successor = token({ clientId: c.id, userId: u.id, grantId: grant.id, familyId, kind: 'refresh' });
          await stores.insertTokens([old]);
          let revoking: Promise<unknown> | undefined;
          // The statements of rotateRefreshToken, held open while the revocation starts and waits on the row lock.
          await second.stores.db.transaction().execute(async (trx) => {
            await trx.updateTable('tokens').set({ rotated_at: NOW, successor_box: 'box' }).where('token_hash', '=', old.tokenHash).execute();
            await trx
              .insertInto('tokens')
              .values({
                token_hash: successor.tokenHash,
                kind: 'refresh',
                jti: successor.jti,
                client_id: c.id,
                user_id: u.id,
                grant_id: grant.id,
                family_id: familyId,
                scopes: '[]',
                workspace_ids: '[]',
                resource: null,
                auth_time: null,
                session_id: null,
                created_at: NOW,
                expires_at: NOW + 3600,
                revoked_at: null,
                rotated_at: null,
                successor_box: null,
                family_expires_at: null,
              })
              .execute();
            revoking = revoke(familyId);
            await new Promise((resolve) => setTimeout(resolve, 300));
          });
          await revoking;
          expect((await stores.findToken(old.tokenHash))?.revokedAt).toBe(NOW + 1);
          expect((await stores.findToken(successor.tokenHash))?.revokedAt).toBe(NOW + 1);
        }
      } finally {
        await second.close();
      }
    });

    postgresOnly('a revocation or disable running while a code is redeemed leaves nothing it stored live', async () => {
      const second = await openStores(t.url);
      const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
      try {
        const { user: u, client: c } = await userAndClient();
        for (const end of [
          (grantId: string) => stores.revokeGrant(grantId, NOW + 1),
          async () => {
            await stores.updateUser(u.id, { disabledAt: NOW + 1 });
            await stores.revokeTokensForUser(u.id, NOW + 1);
          },
        ]) {
          const grant = await stores.saveGrant({ id: randomUUID(), userId: u.id, clientId: c.id, scopes: [], workspaceIds: [], now: NOW });
          const sealed = { codeHash: `sealed-${randomUUID()}`, userId: u.id, grantId: grant.id, expiresAt: NOW + 60 };
          const issued = token({ clientId: c.id, userId: u.id, grantId: grant.id, kind: 'refresh' });
          let redeeming: Promise<unknown> | undefined;
          let ending: Promise<unknown> | undefined;
          // Another transaction holds the same code's redemption row uncommitted: the redemption
          // waits on it after it started, the revocation or disable runs meanwhile, then the
          // other transaction rolls back and the redemption goes on.
          await second.stores.db
            .transaction()
            .execute(async (trx) => {
              await trx.insertInto('code_redemptions').values({ code_hash: sealed.codeHash, expires_at: NOW + 60, replayed_at: null }).execute();
              redeeming = stores.redeemCode(sealed, NOW + 1, [issued]);
              await sleep(200);
              ending = end(grant.id);
              await sleep(200);
              throw new Error('roll back');
            })
            .catch((error: Error) => expect(error.message).toBe('roll back'));
          await Promise.all([redeeming, ending]);
          const found = await stores.findToken(issued.tokenHash);
          expect(found === undefined || found.revokedAt !== null).toBe(true);
        }
      } finally {
        await second.close();
      }
    });

    postgresOnly('rotates once across two separate pools (two processes)', async () => {
      const second = await openStores(t.url);
      try {
        const { user: u, client: c } = await userAndClient();
        for (let round = 0; round < 5; round++) {
          const old = token({ clientId: c.id, userId: u.id, kind: 'refresh' });
          await stores.insertTokens([old]);
          const results = await Promise.all(
            Array.from({ length: 20 }, (_, i) => {
              const target = i % 2 === 0 ? stores : second.stores;
              return target.rotateRefreshToken(old.tokenHash, [token({ clientId: c.id, userId: u.id, kind: 'refresh' })], `box-${i}`, NOW);
            }),
          );
          expect(results.filter((r) => r.status === 'rotated')).toHaveLength(1);
          const boxes = new Set(results.flatMap((r) => (r.status === 'already-rotated' ? [r.token.successorBox] : [])));
          expect(boxes.size).toBe(1);
        }
        // And code redemption across pools.
        const sealed = { codeHash: `sealed-${randomUUID()}`, userId: u.id, grantId: 'g', expiresAt: NOW + 60 };
        const sealedRedemptions = await Promise.all(
          Array.from({ length: 20 }, (_, i) => (i % 2 === 0 ? stores : second.stores).redeemCode(sealed, NOW)),
        );
        expect(sealedRedemptions.filter((r) => r.status === 'redeemed')).toHaveLength(1);
      } finally {
        await second.close();
      }
    });
  });

  describe('housekeeping', () => {
    it('purges only expired rows, in bounded batches, and reports counts', async () => {
      const { user: u, client: c } = await userAndClient();
      const live = NOW + 100;
      const dead = NOW - 1;
      for (const [codeHash, expiresAt] of [['r-dead1', dead], ['r-dead2', dead], ['r-live', NOW]] as const) {
        await stores.redeemCode({ codeHash, userId: u.id, grantId: 'g', expiresAt }, NOW - 30);
      }
      const keptTokens = [
        token({ clientId: c.id, expiresAt: live }),
        token({ clientId: c.id, expiresAt: NOW }),
        // Expired, but its family still runs: kept for replay detection.
        token({ clientId: c.id, kind: 'refresh', expiresAt: dead, familyExpiresAt: live }),
      ];
      const purgedTokens = [
        token({ clientId: c.id, expiresAt: dead }),
        token({ clientId: c.id, expiresAt: dead, revokedAt: NOW - 100 }),
        token({ clientId: c.id, kind: 'refresh', expiresAt: dead, familyExpiresAt: dead }),
        token({ clientId: c.id, kind: 'refresh', expiresAt: dead, familyExpiresAt: null }),
        token({ clientId: c.id, expiresAt: dead - 5 }),
      ];
      await stores.insertTokens([...keptTokens, ...purgedTokens]);
      await stores.createSession({ idHash: 's-dead', userId: u.id, authTime: NOW, createdAt: NOW, expiresAt: dead });
      await stores.createSession({ idHash: 's-live', userId: u.id, authTime: NOW, createdAt: NOW, expiresAt: live });
      await stores.createInteraction({ idHash: 'i-dead', clientId: c.id, request: '{}', createdAt: NOW, expiresAt: dead });
      await stores.createInteraction({ idHash: 'i-live', clientId: c.id, request: '{}', createdAt: NOW, expiresAt: live });
      // a and b end up expired; c is in its grace period; d is current.
      for (const [id, graceUntil] of [['a', dead], ['b', dead], ['c', dead], ['d', live]] as const) {
        await stores.rotateSecret(c.id, { id, secretHash: `h-${id}`, displayPrefix: 'p', createdAt: NOW, expiresAt: null }, graceUntil);
      }
      await stores.insertKeys([
        { ...key('r-old', 'retired'), retiredAt: NOW - 1000 },
        { ...key('r-new', 'retired'), retiredAt: NOW - 10 },
        key('cur', 'current'),
      ]);

      for (const [subject, until] of [['t:dead1', dead], ['t:dead2', dead], ['t:dead3', dead - 9], ['t:live', live], ['f:now', NOW]] as const) {
        await stores.revokeSubject(subject, NOW - 200, until);
      }

      const options = { batchSize: 2, maxBatches: 1, keyRetentionSeconds: 100 };
      const first = await stores.purgeExpired(NOW, options);
      // Codes: the two expired redemptions (one batch).
      expect(first).toEqual({ codes: 2, tokens: 2, revocations: 2, sessions: 1, interactions: 1, clientSecrets: 2, signingKeys: 1 });
      const rest = await stores.purgeExpired(NOW, { ...options, maxBatches: 10 });
      expect(rest).toEqual({ codes: 0, tokens: 3, revocations: 1, sessions: 0, interactions: 0, clientSecrets: 0, signingKeys: 0 });
      expect(await stores.purgeExpired(NOW, { ...options, maxBatches: 10 })).toEqual({
        codes: 0,
        tokens: 0,
        revocations: 0,
        sessions: 0,
        interactions: 0,
        clientSecrets: 0,
        signingKeys: 0,
      });

      for (const tk of keptTokens) expect(await stores.findToken(tk.tokenHash)).toEqual(tk);
      for (const tk of purgedTokens) expect(await stores.findToken(tk.tokenHash)).toBeUndefined();
      expect(await stores.db.selectFrom('code_redemptions').select('code_hash').execute()).toEqual([{ code_hash: 'r-live' }]);
      expect(await stores.findSessionWithUser('s-live', NOW)).toBeDefined();
      expect(await stores.findInteraction('i-live', NOW)).toBeDefined();
      expect((await stores.listActiveSecrets(c.id, NOW - 1000)).map((s) => s.id).sort()).toEqual(['c', 'd']);
      expect((await stores.listKeys()).map((k) => k.kid).sort()).toEqual(['cur', 'r-new']);
      const listed = await stores.db.selectFrom('revocations').select('subject').orderBy('subject').execute();
      expect(listed.map((row) => row.subject)).toEqual(['f:now', 't:live']);
    });
  });

  describe('settings', () => {
    it('keeps the first value written', async () => {
      expect(await stores.getOrCreateSetting('cookie_secret', 'first')).toBe('first');
      expect(await stores.getOrCreateSetting('cookie_secret', 'second')).toBe('first');
      const racing = await Promise.all(Array.from({ length: 10 }, (_, i) => stores.getOrCreateSetting('raced', `v${i}`)));
      expect(new Set(racing).size).toBe(1);
    });
  });
});

describe('openDatabase', () => {
  it('rejects unsupported URLs with a one-line message', async () => {
    await expect(openDatabase('mysql://root@localhost/db')).rejects.toThrow(/^Unsupported database URL "mysql:\/\/root@localhost\/db": use /);
    await expect(openDatabase('postgres://u:hunter2@h/db?schema=Bad-Name')).rejects.toThrow(/Invalid Postgres schema name/);
    const error = await openDatabase('mongodb://u:hunter2@h/db').catch((e: Error) => e);
    expect(String(error)).not.toContain('hunter2');
  });

  it('opens SQLite files in WAL mode with foreign keys, creating the directory', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'gatehouse-open-'));
    try {
      const handle = await openDatabase(`sqlite:${join(dir, 'nested', 'deeper', 'gh.db')}`);
      const pragma = async (name: string) => {
        const { rows } = await sql<Record<string, unknown>>`${sql.raw(`pragma ${name}`)}`.execute(handle.db);
        return Object.values(rows[0] ?? {})[0];
      };
      expect(await pragma('journal_mode')).toBe('wal');
      expect(await pragma('foreign_keys')).toBe(1);
      expect(await pragma('busy_timeout')).toBe(5000);
      expect(await pragma('synchronous')).toBe(1);
      expect(await pragma('wal_autocheckpoint')).toBe(10000);
      expect(await pragma('journal_size_limit')).toBe(64 * 1024 * 1024);
      await handle.close();
      await handle.close();
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('opens SQLite in memory', async () => {
    const { stores, dialect, close } = await openStores('sqlite::memory:');
    expect(dialect).toBe('sqlite');
    expect(await stores.listScopes()).toHaveLength(4);
    await close();
  });
});

describe('postgres', () => {
  const [pgFactory] = testDatabases().filter((d) => d.name === 'postgres');

  it('migrates a fresh schema from two processes at once', async () => {
    const scratch = await pgFactory!.open();
    // A second, empty schema next to the scratch one: same server, nothing migrated yet.
    const url = new URL(scratch.url);
    const schema = `gh_test_mig_${randomUUID().replaceAll('-', '').slice(0, 10)}`;
    url.searchParams.set('schema', schema);
    const a = await openDatabase(url.toString());
    const b = await openDatabase(url.toString());
    try {
      const results = await Promise.all([migrateToLatest(a.db), migrateToLatest(b.db)]);
      // Every migration ran exactly once between the two.
      expect(results.flat().sort()).toEqual(Object.keys(migrations).sort());
      const stores = new KyselyStores(b);
      expect(await stores.listScopes()).toHaveLength(4);
      // Pinned to its own schema: the scratch schema's tables did not count as "already there".
      const { rows } = await sql<{ n: number }>`select count(*) as n from information_schema.tables where table_schema = ${schema}`.execute(a.db);
      expect(rows[0]?.n).toBeGreaterThanOrEqual(15);
    } finally {
      await sql`drop schema ${sql.id(schema)} cascade`.execute(a.db);
      await a.close();
      await b.close();
      await scratch.close();
    }
  });

  it('parses bigint columns and counts as numbers', async () => {
    const t = await pgFactory!.open();
    try {
      const { rows } = await sql<{ n: unknown; big: unknown }>`select count(*) as n, ${sql.lit(2)}::bigint * 1000000000000 as big`.execute(t.stores.db);
      expect(rows[0]).toEqual({ n: 1, big: 2_000_000_000_000 });
    } finally {
      await t.close();
    }
  });

  it('prepares statements once per connection, and survives a schema change made by another instance', async () => {
    const t = await pgFactory!.open();
    const url = new URL(t.url);
    url.searchParams.set('schema', (await sql<{ s: string }>`select current_schema() as s`.execute(t.stores.db)).rows[0]!.s);
    const one = await openDatabase(url.toString(), { poolSize: 1 });
    url.searchParams.set('prepare', 'off');
    const unprepared = await openDatabase(url.toString(), { poolSize: 1 });
    const preparedTexts = async (handle: typeof one) =>
      (await sql<{ statement: string }>`select statement from pg_prepared_statements`.execute(handle.db)).rows.map((r) => r.statement);
    try {
      const read = () => one.db.selectFrom('scopes').selectAll().where('name', '=', 'openid').executeTakeFirst();
      expect((await read())?.name).toBe('openid');
      expect(await preparedTexts(one)).toContainEqual(expect.stringMatching(/from "scopes" where "name" = \$1/));
      // Another instance adds a column (a rolling upgrade): the prepared plan's row type changed.
      await sql`alter table scopes add column extra text`.execute(t.stores.db);
      expect((await read())?.name).toBe('openid');
      expect((await read())?.name).toBe('openid');
      // Turned off with ?prepare=off (poolers that drop prepared statements).
      await unprepared.db.selectFrom('scopes').selectAll().where('name', '=', 'openid').executeTakeFirst();
      expect(await preparedTexts(unprepared)).toEqual([]);
    } finally {
      await one.close();
      await unprepared.close();
      await t.close();
    }
  });

  it('fails loudly, never skips, when Postgres is unreachable', async () => {
    const saved = process.env.TEST_DATABASE_URL;
    process.env.TEST_DATABASE_URL = 'postgres://postgres@127.0.0.1:1/test';
    try {
      const factory = testDatabases().find((d) => d.name === 'postgres')!;
      await expect(factory.open()).rejects.toThrow(/Postgres is required for tests but .* is unreachable/);
    } finally {
      if (saved === undefined) delete process.env.TEST_DATABASE_URL;
      else process.env.TEST_DATABASE_URL = saved;
    }
  });
});

describe.each(testDatabases())('client cache on $name', (factory) => {
  let database: TestDatabase;
  let other: Awaited<ReturnType<typeof openStores>>;
  let cached: Awaited<ReturnType<typeof openStores>>;
  beforeEach(async () => {
    database = await factory.open();
    // Two instances on one database: `cached` remembers clients for 300 ms, `other` writes.
    cached = await openStores(database.url, { clientCacheMs: 300 });
    other = await openStores(database.url, { clientCacheMs: 0 });
  });
  afterEach(async () => {
    await cached.close();
    await other.close();
    await database.close();
  });

  const secret = (id: string) => ({ id, secretHash: `hash-${id}`, displayPrefix: 'gcs_x…', createdAt: NOW, expiresAt: null });

  it("takes its own writes at once and another instance's within the cache time", async () => {
    const client = await cached.stores.createClient(newClient(), secret('s1'));
    expect((await cached.stores.findClient(client.id))?.name).toBe('Example App');
    expect((await cached.stores.listActiveSecrets(client.id, NOW)).map((s) => s.id)).toEqual(['s1']);

    await cached.stores.rotateSecret(client.id, secret('s2'), NOW);
    expect((await cached.stores.listActiveSecrets(client.id, NOW)).map((s) => s.id)).toEqual(['s2']);

    expect((await cached.stores.findClient(client.id))?.name).toBe('Example App');
    await other.stores.updateClient(client.id, { name: 'Renamed elsewhere' });
    expect((await cached.stores.findClient(client.id))?.name).toBe('Example App');
    await new Promise((resolve) => setTimeout(resolve, 350));
    expect((await cached.stores.findClient(client.id))?.name).toBe('Renamed elsewhere');
  });

  it("answers scope lookups from the catalogue: its own writes at once, another instance's within the cache time", async () => {
    expect((await cached.stores.findScopes(['openid', 'email', 'openid', 'nope'])).map((s) => s.name)).toEqual(['email', 'openid']);
    await cached.stores.createScope({ name: 'zz:own', description: 'Own', requiresWorkspace: false, builtin: false });
    expect((await cached.stores.findScopes(['zz:own'])).map((s) => s.description)).toEqual(['Own']);
    await cached.stores.upsertScope({ name: 'zz:own', description: 'Own, changed', requiresWorkspace: true, builtin: false });
    expect(await cached.stores.findScopes(['zz:own'])).toEqual([{ name: 'zz:own', description: 'Own, changed', requiresWorkspace: true, builtin: false }]);

    await other.stores.createScope({ name: 'zz:elsewhere', description: 'Elsewhere', requiresWorkspace: false, builtin: false });
    expect(await cached.stores.findScopes(['zz:elsewhere'])).toEqual([]);
    await new Promise((resolve) => setTimeout(resolve, 350));
    expect((await cached.stores.findScopes(['zz:elsewhere', 'zz:own'])).map((s) => s.name)).toEqual(['zz:elsewhere', 'zz:own']);
    expect(await cached.stores.deleteScope('zz:own')).toBe(true);
    expect(await cached.stores.findScopes(['zz:own'])).toEqual([]);
  });

  it('reports a token insert for a client deleted elsewhere as a missing client, not a crash', async () => {
    const client = await cached.stores.createClient(newClient(), secret('s1'));
    await cached.stores.findClient(client.id);
    await other.stores.deleteClient(client.id, NOW);
    await expect(cached.stores.insertTokens([token({ clientId: client.id })])).rejects.toBeInstanceOf(NotFoundError);
  });
});
