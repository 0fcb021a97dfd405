import { statSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { defaultCoreConfig } from '../core/config.js';
import { createGatehouse } from '../gatehouse.js';
import { KyselyStores } from './index.js';
import { startCheckpointer } from './checkpointer.js';
import { openDatabase, type DatabaseHandle } from './database.js';

describe('SQLite checkpoints on their own thread', () => {
  let dir: string | undefined;
  let handle: DatabaseHandle | undefined;
  afterEach(async () => {
    await handle?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('copies committed pages into the database file while the main connection is far from its threshold', async () => {
    dir = await mkdtemp(join(tmpdir(), 'gatehouse-checkpoint-'));
    const file = join(dir, 'db.sqlite');
    handle = await openDatabase(`sqlite:${file}`, { backgroundCheckpoints: true });
    await sql`create table filler (id integer primary key, body text not null)`.execute(handle.db);
    const before = statSync(file).size;
    // ~300 pages in the WAL: far below the main connection's automatic checkpoint at 10 000.
    for (let i = 0; i < 300; i++) await sql`insert into filler (body) values (${'x'.repeat(4000)})`.execute(handle.db);
    expect(statSync(`${file}-wal`).size).toBeGreaterThan(300 * 4096);

    const deadline = Date.now() + 5000;
    while (statSync(file).size < before + 300 * 4000 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
    expect(statSync(file).size).toBeGreaterThanOrEqual(before + 300 * 4000);
    const [row] = (await sql<{ n: number }>`select count(*) as n from filler`.execute(handle.db)).rows;
    expect(row!.n).toBe(300);
  });

  it('runs in the server', async () => {
    dir = await mkdtemp(join(tmpdir(), 'gatehouse-checkpoint-'));
    const file = join(dir, 'db.sqlite');
    const gatehouse = await createGatehouse({ databaseUrl: `sqlite:${file}`, core: defaultCoreConfig('http://127.0.0.1') });
    try {
      const { db } = gatehouse.deps.stores as KyselyStores;
      await sql`create table filler (id integer primary key, body text not null)`.execute(db);
      const before = statSync(file).size;
      for (let i = 0; i < 100; i++) await sql`insert into filler (body) values (${'x'.repeat(4000)})`.execute(db);
      const deadline = Date.now() + 5000;
      while (statSync(file).size < before + 100 * 4000 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
      expect(statSync(file).size).toBeGreaterThanOrEqual(before + 100 * 4000);
    } finally {
      await gatehouse.close();
    }
  });

  it('ends its thread when stopped', async () => {
    dir = await mkdtemp(join(tmpdir(), 'gatehouse-checkpoint-'));
    const checkpointer = startCheckpointer(join(dir, 'db.sqlite'), 10);
    await new Promise((resolve) => setTimeout(resolve, 50));
    // Resolves on the thread's exit only: a thread left running would time this test out.
    await checkpointer.stop();
  });
});
