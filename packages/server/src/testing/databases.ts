/**
 * The databases every storage-backed test runs against. Postgres is never optional: a suite
 * that silently skipped it would hide exactly the cross-process races the stores exist to settle.
 *
 *   describe.each(testDatabases())('$name', ({ open }) => { ... })
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { openStores, type KyselyStores } from '../storage/index.js';

export interface TestDatabase {
  stores: KyselyStores;
  /** Opens the same database again (another `openStores`, another process). */
  url: string;
  /** Closes the stores and deletes the database (temp file, or Postgres schema). */
  close(): Promise<void>;
}

export interface TestDatabaseFactory {
  name: 'sqlite' | 'postgres';
  /** A fresh, migrated, empty database on every call. */
  open(): Promise<TestDatabase>;
}

export const defaultTestDatabaseUrl = 'postgres://postgres@127.0.0.1:5432/test';

export function testDatabases(): TestDatabaseFactory[] {
  return [
    { name: 'sqlite', open: openSqlite },
    { name: 'postgres', open: () => openPostgres(process.env.TEST_DATABASE_URL ?? defaultTestDatabaseUrl) },
  ];
}

/** A temp file rather than `:memory:`, so the URL can be opened again and WAL behaves as in production. */
async function openSqlite(): Promise<TestDatabase> {
  const dir = await mkdtemp(join(tmpdir(), 'gatehouse-test-'));
  const url = `sqlite:${join(dir, 'gatehouse.db')}`;
  const { stores } = await openStores(url);
  return {
    stores,
    url,
    close: async () => {
      await stores.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

async function openPostgres(baseUrl: string): Promise<TestDatabase> {
  const schema = `gh_test_${randomBytes(6).toString('hex')}`;
  await admin(baseUrl, `create schema "${schema}"`);
  const url = new URL(baseUrl);
  url.searchParams.set('schema', schema);
  let stores: KyselyStores;
  try {
    ({ stores } = await openStores(url.toString()));
  } catch (error) {
    await admin(baseUrl, `drop schema if exists "${schema}" cascade`).catch(() => {});
    throw error;
  }
  return {
    stores,
    url: url.toString(),
    close: async () => {
      await stores.close();
      await admin(baseUrl, `drop schema if exists "${schema}" cascade`);
    },
  };
}

async function admin(baseUrl: string, statement: string): Promise<void> {
  const client = new pg.Client({ connectionString: baseUrl, connectionTimeoutMillis: 5000 });
  try {
    await client.connect();
  } catch (error) {
    const { message, code } = (error ?? {}) as { message?: string; code?: string };
    const reason = message || code || String(error);
    throw new Error(
      `Postgres is required for tests but ${baseUrl} is unreachable (${reason}); start it or set TEST_DATABASE_URL`,
      { cause: error },
    );
  }
  try {
    await client.query(statement);
  } finally {
    await client.end();
  }
}
