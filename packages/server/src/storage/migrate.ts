/**
 * Migrations are listed in code rather than discovered on disk, so they run the same from `src`
 * under vitest and from the compiled `dist` of an installed package.
 */
import { Migrator, PostgresAdapter, SqliteAdapter, sql, type Kysely, type Migration, type MigrationResult } from 'kysely';
import { initial } from './migrations/0001_initial.js';

/**
 * Names sort in application order. Before the first release the schema is one initial migration;
 * from the first release on, an entry is never renamed or reordered, only added.
 */
export const migrations: Readonly<Record<string, Migration>> = {
  '0001_initial': initial,
};

/**
 * Applies pending migrations and returns the names applied. Safe to run from several processes
 * at once:
 * - Postgres: Kysely's Migrator holds a session advisory lock (`pg_advisory_lock`) around a
 *   transaction that re-reads the applied list, so a second migrator waits, then finds nothing to do.
 * - SQLite: Kysely runs SQLite migrations without a transaction or lock, so we wrap the whole run
 *   in `BEGIN IMMEDIATE`: it takes the file's write lock up front (other processes wait up to
 *   busy_timeout) and a failed migration leaves no half-built schema behind.
 */
export async function migrateToLatest(db: Kysely<any>): Promise<string[]> {
  const adapter = db.getExecutor().adapter;
  if (adapter instanceof PostgresAdapter) {
    // Kysely looks for its bookkeeping tables in every schema it can see; pinning them to the
    // schema we work in keeps side-by-side installs (and per-test schemas) apart.
    return run(db, { migrationTableSchema: await currentSchema(db) });
  }
  if (adapter instanceof SqliteAdapter) {
    return db.connection().execute(async (conn) => {
      await sql`begin immediate`.execute(conn);
      try {
        const applied = await run(conn, { disableTransactions: true });
        await sql`commit`.execute(conn);
        return applied;
      } catch (error) {
        await sql`rollback`.execute(conn).catch(() => {});
        throw error;
      }
    });
  }
  return run(db, {});
}

async function run(db: Kysely<any>, options: { migrationTableSchema?: string; disableTransactions?: boolean }): Promise<string[]> {
  const migrator = new Migrator({ db, provider: { getMigrations: async () => ({ ...migrations }) }, ...options });
  const { error, results } = await migrator.migrateToLatest();
  if (error !== undefined) {
    const failed = results?.find((r: MigrationResult) => r.status === 'Error');
    const message = error instanceof Error ? error.message : String(error);
    throw new Error(`Database migration ${failed ? `${failed.migrationName} ` : ''}failed: ${message}`, { cause: error });
  }
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}

async function currentSchema(db: Kysely<any>): Promise<string> {
  const { rows } = await sql<{ schema: string | null }>`select current_schema() as schema`.execute(db);
  const schema = rows[0]?.schema;
  if (!schema) throw new Error('Postgres has no current schema: the search_path names no existing schema');
  return schema;
}
