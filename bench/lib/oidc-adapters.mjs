/**
 * node-oidc-provider adapters for the comparison (the adapter contract of oidc-provider 9:
 * upsert, find, findByUid, findByUserCode, consume, destroy, revokeByGrantId).
 *
 * - MapAdapter: unbounded in-memory (the bundled MemoryAdapter is an LRU of 1000 entries,
 *   which would evict live tokens under load).
 * - SqliteAdapter / PostgresAdapter: one table `oidc_payloads(id, kind, payload, grant_id,
 *   user_code, uid, expires_at)`, on the same database Gatehouse uses.
 */
import Database from 'better-sqlite3';
import pg from 'pg';

const epoch = () => Math.floor(Date.now() / 1000);
const expiry = (expiresIn) => (expiresIn ? epoch() + expiresIn : null);

export function mapAdapter() {
  const store = new Map();
  const uids = new Map();
  const userCodes = new Map();
  const grants = new Map();
  return class MapAdapter {
    constructor(name) {
      this.name = name;
    }
    key(id) {
      return `${this.name}:${id}`;
    }
    async upsert(id, payload, expiresIn) {
      const key = this.key(id);
      store.set(key, { payload, expiresAt: expiry(expiresIn) });
      if (payload.uid) uids.set(payload.uid, id);
      if (payload.userCode) userCodes.set(payload.userCode, id);
      if (payload.grantId) {
        let keys = grants.get(payload.grantId);
        if (!keys) grants.set(payload.grantId, (keys = []));
        keys.push(key);
      }
    }
    async find(id) {
      const entry = store.get(this.key(id));
      if (!entry) return undefined;
      if (entry.expiresAt !== null && entry.expiresAt <= epoch()) {
        store.delete(this.key(id));
        return undefined;
      }
      return entry.payload;
    }
    async findByUid(uid) {
      const id = uids.get(uid);
      return id === undefined ? undefined : this.find(id);
    }
    async findByUserCode(userCode) {
      const id = userCodes.get(userCode);
      return id === undefined ? undefined : this.find(id);
    }
    async consume(id) {
      const entry = store.get(this.key(id));
      if (entry) entry.payload.consumed = epoch();
    }
    async destroy(id) {
      store.delete(this.key(id));
    }
    async revokeByGrantId(grantId) {
      for (const key of grants.get(grantId) ?? []) store.delete(key);
      grants.delete(grantId);
    }
  };
}

const TABLE_SQL = (jsonType) => `create table if not exists oidc_payloads (
  id text not null,
  kind text not null,
  payload ${jsonType} not null,
  grant_id text,
  user_code text,
  uid text,
  expires_at bigint,
  primary key (id, kind)
)`;
const INDEX_SQL = [
  'create index if not exists oidc_payloads_grant_id on oidc_payloads (grant_id)',
  'create index if not exists oidc_payloads_uid on oidc_payloads (uid)',
  'create index if not exists oidc_payloads_user_code on oidc_payloads (user_code)',
  'create index if not exists oidc_payloads_expires_at on oidc_payloads (expires_at)',
];

/** better-sqlite3, WAL + synchronous=NORMAL like Gatehouse's own connection. */
export function sqliteAdapter(path) {
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma('busy_timeout = 5000');
  db.exec(TABLE_SQL('text'));
  for (const statement of INDEX_SQL) db.exec(statement);
  const s = {
    upsert: db.prepare(`insert into oidc_payloads (id, kind, payload, grant_id, user_code, uid, expires_at) values (?, ?, ?, ?, ?, ?, ?)
      on conflict (id, kind) do update set payload = excluded.payload, grant_id = excluded.grant_id, user_code = excluded.user_code, uid = excluded.uid, expires_at = excluded.expires_at`),
    find: db.prepare('select payload, expires_at from oidc_payloads where id = ? and kind = ?'),
    findByUid: db.prepare('select payload, expires_at from oidc_payloads where uid = ? and kind = ?'),
    findByUserCode: db.prepare('select payload, expires_at from oidc_payloads where user_code = ? and kind = ?'),
    consume: db.prepare(`update oidc_payloads set payload = json_set(payload, '$.consumed', ?) where id = ? and kind = ?`),
    destroy: db.prepare('delete from oidc_payloads where id = ? and kind = ?'),
    revoke: db.prepare('delete from oidc_payloads where grant_id = ?'),
  };
  const live = (row) => (row && (row.expires_at === null || row.expires_at > epoch()) ? JSON.parse(row.payload) : undefined);
  class SqliteAdapter {
    constructor(name) {
      this.name = name;
    }
    async upsert(id, payload, expiresIn) {
      s.upsert.run(id, this.name, JSON.stringify(payload), payload.grantId ?? null, payload.userCode ?? null, payload.uid ?? null, expiry(expiresIn));
    }
    async find(id) {
      return live(s.find.get(id, this.name));
    }
    async findByUid(uid) {
      return live(s.findByUid.get(uid, this.name));
    }
    async findByUserCode(userCode) {
      return live(s.findByUserCode.get(userCode, this.name));
    }
    async consume(id) {
      s.consume.run(epoch(), id, this.name);
    }
    async destroy(id) {
      s.destroy.run(id, this.name);
    }
    async revokeByGrantId(grantId) {
      s.revoke.run(grantId);
    }
  }
  return { Adapter: SqliteAdapter, close: async () => db.close() };
}

/** pg Pool (default size 10, as Gatehouse's), payload as jsonb. */
export async function postgresAdapter(connectionString, schema) {
  const pool = new pg.Pool({ connectionString, options: `-c search_path=${schema}` });
  pool.on('error', () => {});
  await pool.query(`create schema if not exists "${schema}"`);
  await pool.query(TABLE_SQL('jsonb'));
  for (const statement of INDEX_SQL) await pool.query(statement);
  const live = (rows) => {
    const row = rows[0];
    return row && (row.expires_at === null || Number(row.expires_at) > epoch()) ? row.payload : undefined;
  };
  class PostgresAdapter {
    constructor(name) {
      this.name = name;
    }
    async upsert(id, payload, expiresIn) {
      await pool.query(
        `insert into oidc_payloads (id, kind, payload, grant_id, user_code, uid, expires_at) values ($1, $2, $3, $4, $5, $6, $7)
         on conflict (id, kind) do update set payload = excluded.payload, grant_id = excluded.grant_id, user_code = excluded.user_code, uid = excluded.uid, expires_at = excluded.expires_at`,
        [id, this.name, JSON.stringify(payload), payload.grantId ?? null, payload.userCode ?? null, payload.uid ?? null, expiry(expiresIn)],
      );
    }
    async find(id) {
      return live((await pool.query('select payload, expires_at from oidc_payloads where id = $1 and kind = $2', [id, this.name])).rows);
    }
    async findByUid(uid) {
      return live((await pool.query('select payload, expires_at from oidc_payloads where uid = $1 and kind = $2', [uid, this.name])).rows);
    }
    async findByUserCode(userCode) {
      return live((await pool.query('select payload, expires_at from oidc_payloads where user_code = $1 and kind = $2', [userCode, this.name])).rows);
    }
    async consume(id) {
      await pool.query(`update oidc_payloads set payload = jsonb_set(payload, '{consumed}', to_jsonb($1::bigint)) where id = $2 and kind = $3`, [epoch(), id, this.name]);
    }
    async destroy(id) {
      await pool.query('delete from oidc_payloads where id = $1 and kind = $2', [id, this.name]);
    }
    async revokeByGrantId(grantId) {
      await pool.query('delete from oidc_payloads where grant_id = $1', [grantId]);
    }
  }
  return { Adapter: PostgresAdapter, close: () => pool.end() };
}
