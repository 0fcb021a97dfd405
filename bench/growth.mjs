/** Token-table growth: Gatehouse introspection with many stored rows. */
import { rmSync } from 'node:fs';
import Database from 'better-sqlite3';
import pg from 'pg';
import { Browser, FORM, basic, form, makeAgent } from './lib/http.mjs';
import { cannon } from './lib/measure.mjs';
import { medianOfRounds } from './lib/rounds.mjs';
import { fmt } from './lib/report.mjs';
import { opts, log } from './lib/options.mjs';
import { pgAdmin, freshDatabase, startServer } from './lib/servers.mjs';
import { signIn, exchangeCode } from './lib/drivers.mjs';

//
// Sealed access tokens are not stored: checking one probes the revocation list, checking a refresh
// token reads the tokens table. Both tables are filled to each size (refresh-token rows and
// revoked-token entries) and both kinds of token are introspected.

export const TOKEN_COLUMNS = 'token_hash, kind, jti, client_id, user_id, grant_id, family_id, scopes, workspace_ids, resource, auth_time, session_id, created_at, expires_at, revoked_at, rotated_at, successor_box, family_expires_at';

export async function countRows(database, table) {
  if (database.db === 'sqlite') {
    const db = new Database(database.path, { readonly: true });
    try {
      return db.prepare(`select count(*) as n from ${table}`).get().n;
    } finally {
      db.close();
    }
  }
  return Number((await pgAdmin(`select count(*) as n from "${database.schema}".${table}`)).rows[0].n);
}

/** Adds `count` live refresh-token rows and `count` revoked-token entries, straight with SQL. */
export async function fillRows(database, clientId, count) {
  const now = Math.floor(Date.now() / 1000);
  const batch = 250_000;
  if (database.db === 'sqlite') {
    const db = new Database(database.path);
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    const tokens = db.prepare(`insert into tokens (${TOKEN_COLUMNS})
      with recursive c(x) as (select 1 union all select x + 1 from c where x < ?)
      select lower(hex(randomblob(32))), 'refresh', lower(hex(randomblob(16))), ?, null, null, lower(hex(randomblob(16))), '["api:read"]', '[]', null, null, null, ?, ?, null, null, null, ? from c`);
    const revocations = db.prepare(`insert into revocations (subject, revoked_at, expires_at)
      with recursive c(x) as (select 1 union all select x + 1 from c where x < ?)
      select 't:' || lower(hex(randomblob(16))), ?, ? from c`);
    try {
      for (let done = 0; done < count; done += batch) {
        const n = Math.min(batch, count - done);
        db.transaction(() => {
          tokens.run(n, clientId, now, now + 86400, now + 86400);
          revocations.run(n, now, now + 86400);
        })();
      }
      db.pragma('wal_checkpoint(TRUNCATE)');
      db.exec('analyze');
    } finally {
      db.close();
    }
    return;
  }
  const client = new pg.Client({ connectionString: opts.pgUrl });
  await client.connect();
  try {
    for (let done = 0; done < count; done += batch) {
      const n = Math.min(batch, count - done);
      await client.query(
        `insert into "${database.schema}".tokens (${TOKEN_COLUMNS})
         select md5(random()::text || g::text) || md5(g::text || random()::text), 'refresh', md5('j' || g::text || random()::text), $1, null, null, md5('f' || random()::text), '["api:read"]', '[]', null, null, null, $2, $3, null, null, null, $3
         from generate_series(1, $4::int) g`,
        [clientId, now, now + 86400, n],
      );
      await client.query(
        `insert into "${database.schema}".revocations (subject, revoked_at, expires_at)
         select 't:' || md5(random()::text || g::text), $1, $2 from generate_series(1, $3::int) g`,
        [now, now + 86400, n],
      );
    }
    await client.query(`analyze "${database.schema}".tokens`);
    await client.query(`analyze "${database.schema}".revocations`);
  } finally {
    await client.end();
  }
}

export async function growthTest(db, label, growth) {
  // One server per size, all up at once, so that every round measures each size minutes apart
  // at most: on a noisy machine, sizes measured one after the other would compare two moments.
  const sizes = [];
  try {
    for (const size of opts.growth) {
      const target = { id: `gatehouse-${db}-growth-${size}`, kind: 'gatehouse', db, label };
      const database = await freshDatabase(db, target.id);
      const entry = { database, server: await startServer(target, database) };
      sizes.push(entry);
      const { server } = entry;
      const agent = makeAgent();
      const browser = new Browser(server.origin, agent);
      const { code, verifier } = await signIn(server, browser);
      entry.tokens = await exchangeCode(server, agent, code, verifier);
      agent.destroy();
      const t0 = Date.now();
      await fillRows(database, server.fixtures.svc.clientId, size);
      entry.filled = Math.min(await countRows(database, 'tokens'), await countRows(database, 'revocations'));
      log(`${label}: ${entry.filled} refresh tokens and revocation entries stored (fill ${((Date.now() - t0) / 1000).toFixed(1)} s)`);
    }
    const measured = [];
    for (let round = 1; round <= opts.rounds; round++) {
      for (const { server, tokens, filled } of sizes) {
        const { web } = server.fixtures;
        for (const [kind, token] of [['access', tokens.access_token], ['refresh', tokens.refresh_token]]) {
          const options = {
            url: server.origin + server.paths.introspect,
            method: 'POST',
            headers: { 'content-type': FORM, authorization: basic(web.clientId, web.clientSecret) },
            body: form({ token }),
          };
          // A short warm-up so that no size pays for cold caches alone.
          if (!opts.quick) await cannon({ ...options, duration: 1 }, { warmup: false });
          const result = await cannon(options, { warmup: false, pid: server.pid });
          measured.push({ server: label, db, kind, tokens: filled, ...result, ...(opts.rounds > 1 ? { round } : {}) });
          log(`  introspection of the ${kind} token @ ${filled} rows: ${result.rps.toFixed(0)} /s  p50 ${fmt(result.p50)}  p99 ${fmt(result.p99)}`);
        }
      }
    }
    growth.push(...medianOfRounds(measured, { key: (row) => `${row.kind}\u0000${row.tokens}` }));
  } finally {
    for (const { server, database } of sizes) {
      await server.stop();
      if (database.path) for (const suffix of ['', '-wal', '-shm']) rmSync(database.path + suffix, { force: true });
    }
  }
}
