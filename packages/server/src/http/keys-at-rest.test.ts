/**
 * Keys at rest: without GATEHOUSE_KEY_SECRET, a key file is created outside the database and
 * every private signing key and the access-token master key are sealed with it, so a copy of the
 * database alone opens nothing. Earlier versions' plaintext rows are sealed on start.
 */
import { chmod, copyFile, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { defaultCoreConfig } from '../core/config.js';
import { KeyRing, sealPlaintextKeys } from '../core/keys/keyring.js';
import { isSealed, open } from '../core/crypto/seal.js';
import type { Stores } from '../core/stores.js';
import { createGatehouse, type Gatehouse } from '../gatehouse.js';
import { openStores } from '../storage/index.js';
import { testDatabases, type TestDatabase } from '../testing/databases.js';

const MASTER_KEY = 'access_token_key.v1';
const SECRET = 'a-key-secret-of-at-least-32-characters-000';

async function rawKeyRows(stores: Stores): Promise<{ privateJwks: string[]; masterKey: string | undefined }> {
  return { privateJwks: (await stores.listKeys()).map((key) => key.privateJwk), masterKey: await stores.getSetting(MASTER_KEY) };
}

describe.each(testDatabases())('keys at rest ($name)', (factory) => {
  const cleanup: Array<() => Promise<unknown>> = [];
  afterEach(async () => {
    for (const step of cleanup.splice(0).reverse()) await step().catch(() => {});
  });

  async function database(): Promise<TestDatabase> {
    const opened = await factory.open();
    await opened.stores.close();
    cleanup.push(() => opened.close());
    return opened;
  }

  async function scratch(): Promise<string> {
    const dir = await mkdtemp(join(tmpdir(), 'gatehouse-keys-'));
    cleanup.push(() => rm(dir, { recursive: true, force: true }));
    return dir;
  }

  /** SQLite: the default key file beside the database file; Postgres (outside production): a key file named explicitly, so tests do not share one. */
  async function keyFileFor(db: TestDatabase): Promise<{ keyFile: string | undefined; expected: string }> {
    if (factory.name === 'sqlite') return { keyFile: undefined, expected: db.url.slice('sqlite:'.length).replace(/\.db$/, '.key') };
    const file = join(await scratch(), 'gatehouse.key');
    return { keyFile: file, expected: file };
  }

  async function start(db: TestDatabase, options: { keyFile?: string | undefined; keySecret?: string; production?: boolean } = {}): Promise<Gatehouse> {
    const core = { ...defaultCoreConfig('http://localhost:1'), keySecret: options.keySecret };
    const gatehouse = await createGatehouse({ databaseUrl: db.url, core, keyFile: options.keyFile, production: options.production ?? false });
    cleanup.push(() => gatehouse.close());
    return gatehouse;
  }

  it('creates a key file (mode 0600) on a fresh start without a secret, and stores every private key and the master key sealed', async () => {
    const db = await database();
    const { keyFile, expected } = await keyFileFor(db);
    const gatehouse = await start(db, { keyFile });
    expect(((await stat(expected)).mode & 0o777).toString(8)).toBe('600');
    const secret = (await readFile(expected, 'utf8')).trim();
    expect(secret.length).toBeGreaterThanOrEqual(32);

    const { privateJwks, masterKey } = await rawKeyRows(gatehouse.deps.stores);
    expect(privateJwks).toHaveLength(4);
    for (const privateJwk of privateJwks) {
      expect(isSealed(privateJwk)).toBe(true);
      expect(privateJwk).not.toContain('"d"');
      expect(JSON.parse(open(privateJwk, secret, 'signing-key')!)).toHaveProperty('d');
    }
    expect(isSealed(masterKey!)).toBe(true);
    expect(gatehouse.deps.config.keySecret).toBe(secret);

    if (factory.name === 'sqlite') {
      await gatehouse.close();
      const file = db.url.slice('sqlite:'.length);
      const bytes = Buffer.concat([await readFile(file), await readFile(`${file}-wal`).catch(() => Buffer.alloc(0))]).toString('latin1');
      expect(bytes).not.toMatch(/"d"\s*:/);
    }
  });

  it('opens the same database again with the key file it created', async () => {
    const db = await database();
    const { keyFile } = await keyFileFor(db);
    const first = await start(db, { keyFile });
    const jwks = first.deps.keys.jwks();
    await first.close();
    const again = await start(db, { keyFile });
    expect(again.deps.keys.jwks()).toEqual(jwks);
  });

  it('opens nothing from a copy of the database without its key file: the start fails with one clear line, and no new key file is made', async () => {
    const db = await database();
    const { keyFile } = await keyFileFor(db);
    const first = await start(db, { keyFile });
    await first.close();
    if (factory.name === 'sqlite') {
      const copyDir = await scratch();
      await copyFile(db.url.slice('sqlite:'.length), join(copyDir, 'gatehouse.db'));
      const copy: TestDatabase = { ...db, url: `sqlite:${join(copyDir, 'gatehouse.db')}` };
      await expect(start(copy)).rejects.toThrow(/^The keys in this database are sealed, but the key file .*gatehouse\.key does not exist: set GATEHOUSE_KEY_SECRET/);
      await expect(stat(join(copyDir, 'gatehouse.key'))).rejects.toThrow(/ENOENT/);
    } else {
      const elsewhere = join(await scratch(), 'gatehouse.key');
      await expect(start(db, { keyFile: elsewhere })).rejects.toThrow(/^The keys in this database are sealed, but the key file .* does not exist: set GATEHOUSE_KEY_SECRET, or GATEHOUSE_KEY_FILE/);
      await expect(stat(elsewhere)).rejects.toThrow(/ENOENT/);
    }
  });

  it('refuses a wrong secret or another key file for a sealed database, naming the setting', async () => {
    const db = await database();
    await (await start(db, { keySecret: SECRET })).close();
    await expect(start(db, { keySecret: `${SECRET}-other` })).rejects.toMatchObject({
      name: 'ConfigError',
      setting: 'GATEHOUSE_KEY_SECRET',
      message: expect.stringMatching(/cannot be decrypted with the configured GATEHOUSE_KEY_SECRET \(not the secret this database was sealed with\)$/),
    });
    const other = join(await scratch(), 'other.key');
    await writeFile(other, 'another-secret-in-a-file-0123456789abcdef\n', { mode: 0o600 });
    await expect(start(db, { keyFile: other })).rejects.toMatchObject({
      name: 'ConfigError',
      setting: 'GATEHOUSE_KEY_FILE',
      message: expect.stringContaining(`cannot be decrypted with the key file ${other}`),
    });
  });

  it('refuses a key file other users can read, or one that holds no secret', async () => {
    const db = await database();
    const file = join(await scratch(), 'gatehouse.key');
    await writeFile(file, 'a-secret-that-is-long-enough-0123456789\n', { mode: 0o600 });
    await chmod(file, 0o644);
    await expect(start(db, { keyFile: file })).rejects.toThrow(`Invalid setting GATEHOUSE_KEY_FILE: the key file ${file} is readable by other users (mode 0644); run chmod 600 ${file}`);
    await writeFile(file, 'short\n');
    await chmod(file, 0o600);
    await expect(start(db, { keyFile: file })).rejects.toThrow(/^Invalid setting GATEHOUSE_KEY_FILE: the key file .* does not hold a key secret/);
  });

  it('seals the plaintext keys of a database made by an earlier version on start, once, with two instances starting together', async () => {
    const legacy = await database();
    // What earlier versions stored without a secret.
    const direct = await openStores(legacy.url);
    await new KeyRing(direct.stores, undefined).init(1000);
    const before = await rawKeyRows(direct.stores);
    await direct.close();
    expect(before.privateJwks.every((jwk) => jwk.includes('"d"'))).toBe(true);
    expect(isSealed(before.masterKey!)).toBe(false);

    // Two processes on one SQLite file are not two connections of one thread (those would wait on
    // each other's lock synchronously), so the race on SQLite is the store-level test below.
    const [one, two] =
      factory.name === 'postgres'
        ? await Promise.all([start(legacy, { keySecret: SECRET }), start(legacy, { keySecret: SECRET })])
        : [await start(legacy, { keySecret: SECRET }), await start(legacy, { keySecret: SECRET })];
    const after = await rawKeyRows(one.deps.stores);
    expect(after.privateJwks.map((jwk) => open(jwk, SECRET, 'signing-key'))).toEqual(before.privateJwks);
    expect(open(after.masterKey!, SECRET, 'access-token-key')).toBe(before.masterKey);
    // Both instances use the same keys as before (tokens issued earlier still verify and open).
    expect(one.deps.keys.sealingKey().equals(two.deps.keys.sealingKey())).toBe(true);
    expect(one.deps.keys.sealingKey().toString('base64url')).toBe(before.masterKey);
    // Idempotent: a later start changes nothing.
    await start(legacy, { keySecret: SECRET });
    expect(await rawKeyRows(one.deps.stores)).toEqual(after);
    if (factory.name === 'sqlite') {
      // Nor does the plaintext survive in the file's free space or its WAL.
      for (const step of cleanup.splice(1).reverse()) await step();
      const file = legacy.url.slice('sqlite:'.length);
      const bytes = Buffer.concat([await readFile(file), await readFile(`${file}-wal`).catch(() => Buffer.alloc(0))]).toString('latin1');
      expect(bytes).not.toMatch(/"d"\s*:/);
    }
  });

  it('seals each plaintext row exactly once when two instances seal at the same time', async () => {
    const db = await database();
    const first = await openStores(db.url);
    const second = await openStores(db.url);
    cleanup.push(() => first.close(), () => second.close());
    await new KeyRing(first.stores, undefined).init(1000);
    const before = await rawKeyRows(first.stores);
    const counts = await Promise.all([sealPlaintextKeys(first.stores, SECRET), sealPlaintextKeys(second.stores, SECRET)]);
    expect(counts[0] + counts[1]).toBe(5);
    const after = await rawKeyRows(second.stores);
    expect(after.privateJwks.map((jwk) => open(jwk, SECRET, 'signing-key'))).toEqual(before.privateJwks);
    expect(open(after.masterKey!, SECRET, 'access-token-key')).toBe(before.masterKey);
    expect(await sealPlaintextKeys(first.stores, SECRET)).toBe(0);
  });

  it(factory.name === 'postgres' ? 'refuses to start on Postgres in production without an explicit secret' : 'creates its key file in production on SQLite', async () => {
    const db = await database();
    if (factory.name === 'postgres') {
      await expect(start(db, { production: true })).rejects.toThrow(
        /^GATEHOUSE_KEY_SECRET is required with Postgres in production \(NODE_ENV=production\)/,
      );
      const missing = join(await scratch(), 'gatehouse.key');
      await expect(start(db, { production: true, keyFile: missing })).rejects.toThrow(/^Invalid setting GATEHOUSE_KEY_FILE: the key file .* does not exist/);
      // An existing key file named explicitly, or the secret itself, is enough.
      await writeFile(missing, 'a-production-secret-from-a-file-0123456789\n', { mode: 0o600 });
      await start(db, { production: true, keyFile: missing });
      await start(db, { production: true, keyFile: missing });
    } else {
      await start(db, { production: true });
      await stat(db.url.slice('sqlite:'.length).replace(/\.db$/, '.key'));
    }
  });
});
