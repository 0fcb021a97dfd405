/**
 * Opens the one database Gatehouse runs on: SQLite through better-sqlite3 for single-node
 * installs, Postgres through a pg Pool for everything else. Both speak the same schema.
 */
import { createHash } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import { Kysely, PostgresDialect, SqliteDialect } from 'kysely';
import pg from 'pg';
import { startCheckpointer } from './checkpointer.js';
import type { Database } from './schema.js';

export type Dialect = 'sqlite' | 'postgres';

export interface DatabaseHandle {
  db: Kysely<Database>;
  dialect: Dialect;
  /** Idempotent. */
  close(): Promise<void>;
}

export interface OpenDatabaseOptions {
  /** Postgres only: the schema to work in; overrides `?schema=` in the URL. */
  searchPath?: string;
  /** Postgres only: maximum pool size (pg's default is 10). */
  poolSize?: number;
  /** Postgres only: errors on idle pooled connections (e.g. a server restart); pg would crash the process without a listener. */
  onPoolError?: (error: Error) => void;
  /**
   * SQLite files only: checkpoint the WAL on a worker thread (checkpointer.ts). For a process that
   * keeps writing, i.e. the server; a short command would spend more starting and stopping the thread than it saves.
   */
  backgroundCheckpoints?: boolean;
}

/** Lower case only: `search_path` folds unquoted names to lower case. */
const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

/**
 * `sqlite:./data/gatehouse.db`, `sqlite:///abs/path.db`, `sqlite::memory:`,
 * `postgres://user@host:5432/db?schema=name` (or `postgresql://`).
 */
export async function openDatabase(url: string, options: OpenDatabaseOptions = {}): Promise<DatabaseHandle> {
  if (url.startsWith('sqlite:')) return openSqlite(url.slice('sqlite:'.length), options);
  if (url.startsWith('postgres://') || url.startsWith('postgresql://')) return openPostgres(url, options);
  throw new Error(`Unsupported database URL "${redact(url)}": use sqlite:./path/file.db, sqlite::memory: or postgres://user@host:port/db`);
}

/**
 * Kysely prepares every statement anew; preparing costs more than running a point query. The
 * hot paths issue a handful of distinct SQL strings, so prepared statements are kept by text.
 * better-sqlite3 runs synchronously, so a cached statement is never used twice at once.
 */
function withStatementCache(database: SqliteDatabase.Database): SqliteDatabase.Database {
  const cache = new Map<string, SqliteDatabase.Statement>();
  return new Proxy(database, {
    get(target, property, receiver) {
      if (property !== 'prepare') {
        const value = Reflect.get(target, property, receiver);
        return typeof value === 'function' ? value.bind(target) : value;
      }
      return (source: string) => {
        let statement = cache.get(source);
        if (!statement) {
          statement = target.prepare(source);
          if (cache.size < 1000) cache.set(source, statement);
        }
        return statement;
      };
    },
  });
}

function openSqlite(location: string, options: OpenDatabaseOptions): DatabaseHandle {
  let path = location.startsWith('//') ? location.slice(2) : location;
  if (path === '') throw new Error('Unsupported database URL "sqlite:": give a file path, e.g. sqlite:./data/gatehouse.db');
  if (path !== ':memory:') {
    path = resolve(path);
    mkdirSync(dirname(path), { recursive: true });
  }
  const database = new SqliteDatabase(path);
  // WAL lets readers run beside the writer; NORMAL is durable across application crashes in WAL
  // mode (https://www.sqlite.org/pragma.html#pragma_synchronous); foreign keys are off by default.
  database.pragma('journal_mode = WAL');
  database.pragma('synchronous = NORMAL');
  database.pragma('foreign_keys = ON');
  database.pragma('busy_timeout = 5000');
  // A checkpoint (WAL pages copied back into the database file, then synced) runs inside the
  // commit that crosses the threshold. At SQLite's default of 1000 pages it ran every few hundred
  // refresh rotations and made up a third of their commit time; at 10 000 pages (~40 MB of WAL)
  // pages written many times between checkpoints are copied once. The file is cut back to 64 MB
  // after a checkpoint if a burst grew it further. A worker thread checkpoints in between
  // (checkpointer.ts), so the commit that crosses the threshold finds little left to copy.
  database.pragma('wal_autocheckpoint = 10000');
  database.pragma(`journal_size_limit = ${64 * 1024 * 1024}`);
  const checkpointer = options.backgroundCheckpoints && path !== ':memory:' ? startCheckpointer(path) : undefined;
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: withStatementCache(database) }) });
  return {
    db,
    dialect: 'sqlite',
    close: once(async () => {
      await checkpointer?.stop();
      await db.destroy();
    }),
  };
}

async function openPostgres(url: string, options: OpenDatabaseOptions): Promise<DatabaseHandle> {
  const parsed = new URL(url);
  const schema = options.searchPath ?? (parsed.searchParams.get('schema') || undefined);
  const prepare = parsed.searchParams.get('prepare') !== 'off';
  parsed.searchParams.delete('schema');
  parsed.searchParams.delete('prepare');
  if (schema !== undefined && !SCHEMA_NAME.test(schema)) {
    throw new Error(`Invalid Postgres schema name "${schema}": use lower-case letters, digits and underscores`);
  }

  const pool = new pg.Pool({
    connectionString: parsed.toString(),
    ...(options.poolSize !== undefined ? { max: options.poolSize } : {}),
    ...(schema !== undefined ? { options: `-c search_path=${schema}` } : {}),
    // int8 (bigint, and count(*)) arrives as a string by default; our values are seconds and
    // counts, far below 2^53. Per pool, so other pg users in the process are unaffected.
    types: {
      getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
        oid === pg.types.builtins.INT8 && format !== 'binary'
          ? (value: string) => Number(value)
          : pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser,
    },
  });
  pool.on('error', options.onPoolError ?? (() => {}));
  if (prepare) pool.on('connect', (client) => usePreparedStatements(client));

  if (schema !== undefined) {
    try {
      await pool.query(`create schema if not exists "${schema}"`);
    } catch (error) {
      // Two processes creating the schema at once: the loser sees a unique violation.
      if (!isPgDuplicate(error)) {
        await pool.end();
        throw error;
      }
    }
  }

  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  return { db, dialect: 'postgres', close: once(() => db.destroy()) };
}

const PREPARABLE = /^\s*(select|insert|update|delete|with)\b/i;
const MAX_PREPARED_PER_CONNECTION = 500;
/** Bumped when a schema change invalidates prepared statements, so fresh ones are made under new names. */
let preparedGeneration = 0;

/**
 * Named prepared statements on Postgres: Kysely sends each query unnamed, so Postgres parses and
 * plans it on every execution; the planning alone costs more than running a point query such as
 * the revocation probe joined with the user read (docs/performance.md). Each pooled
 * connection prepares a statement the first time it sees its text. A schema change made by
 * another instance (a rolling upgrade) invalidates them: Postgres answers 0A000, and the query is
 * run again unnamed while later ones prepare afresh. `?prepare=off` in the URL turns this off, for
 * poolers that do not keep prepared statements (PgBouncer before 1.21 in transaction mode).
 */
function usePreparedStatements(client: pg.PoolClient): void {
  const query = client.query.bind(client) as (config: unknown, values?: unknown) => Promise<unknown>;
  const names = new Map<string, string>();
  (client as { query: unknown }).query = (config: unknown, values?: unknown, callback?: unknown) => {
    if (typeof config !== 'string' || !Array.isArray(values) || callback !== undefined || !PREPARABLE.test(config)) {
      return (query as (...args: unknown[]) => unknown)(...[config, values, callback].filter((arg) => arg !== undefined));
    }
    let name = names.get(config);
    if (name === undefined) {
      if (names.size >= MAX_PREPARED_PER_CONNECTION) return query(config, values);
      name = `g${preparedGeneration}_${createHash('sha256').update(config).digest('base64url').slice(0, 22)}`;
      names.set(config, name);
    }
    const generation = preparedGeneration;
    return query({ name, text: config, values }).catch((error: unknown) => {
      if ((error as { code?: unknown } | null)?.code !== '0A000') throw error;
      if (preparedGeneration === generation) preparedGeneration++;
      names.clear();
      return query(config, values);
    });
  };
}

function isPgDuplicate(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return code === '23505' || code === '42P06';
}

function once(fn: () => Promise<void>): () => Promise<void> {
  let closing: Promise<void> | undefined;
  return () => (closing ??= fn());
}

function redact(url: string): string {
  return url.replace(/\/\/([^:@/]+):[^@/]*@/, '//$1:***@');
}
