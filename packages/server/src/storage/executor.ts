/**
 * How statements reach the database: the SQLite group commit (the writes of one event-loop turn in
 * one transaction, each in its own savepoint), point queries compiled once (`prepared`), and
 * hand-written SQL text built once per shape (`sqlText`) so the prepared statement is reused.
 */
import { CompiledQuery, type Compilable, type Kysely, type Transaction } from 'kysely';
import type { Dialect } from './database.js';
import type { Database } from './schema.js';

/** SQLite allows 32766 bound parameters; 18 columns × 2 tokens × 64 callers stays far below. */
export const MAX_GROUP = 64;
export const SAVEPOINT = CompiledQuery.raw('savepoint grouped');
export const RELEASE = CompiledQuery.raw('release grouped');
export const ROLLBACK_TO = CompiledQuery.raw('rollback to grouped');

/** A compiled query bound to the store's database; `on(trx)` runs it inside a transaction. */
export type Prepared<Row> = ((...parameters: unknown[]) => Promise<Row[]>) & { on(executor: Kysely<Database>): (...parameters: unknown[]) => Promise<Row[]> };

export class KyselyExecutor {
  /**
   * A write transaction, committed together with the others of the same event-loop turn on
   * SQLite (group commit). A commit costs more than the statements in it (every page it touched
   * is appended to the WAL), so under load the requests of a turn share that cost. Each unit of
   * work runs in its own savepoint, so one that fails is undone alone; callers resolve only after
   * the commit, so nothing is answered before it is written. `work` must use `trx` only: the one
   * SQLite connection is held until the commit. On Postgres each runs in its own transaction.
   */
  readonly grouped: <T>(work: (trx: Transaction<Database>) => Promise<T>) => Promise<T>;

  /**
   * One statement, atomic on its own: on SQLite it joins the group commit; on Postgres it runs
   * outside any transaction (a BEGIN and a COMMIT would be two more round trips).
   */
  readonly groupedStatement: <T>(statement: (executor: Kysely<Database>) => Promise<T>) => Promise<T>;

  /** The i-th placeholder (0-based) in the dialect's syntax. */
  private readonly mark: (index: number) => string;

  constructor(
    readonly db: Kysely<Database>,
    readonly dialect: Dialect,
  ) {
    // Chosen once here, so no request pays for a dialect test.
    if (dialect === 'sqlite') {
      this.grouped = (work) => this.enqueue(work);
      this.groupedStatement = (statement) => this.enqueue(statement);
      this.mark = () => '?';
    } else {
      this.grouped = (work) => db.transaction().execute(work);
      this.groupedStatement = (statement) => statement(db);
      this.mark = (index) => `$${index + 1}`;
    }
  }

  prepared<Row>(query: Compilable<Row>): Prepared<Row> {
    const { sql: text, parameters: expected } = query.compile();
    const on = (executor: Kysely<Database>) => async (...parameters: unknown[]) => {
      if (parameters.length !== expected.length) throw new Error(`expected ${expected.length} parameters for: ${text}`);
      return (await executor.executeQuery<Row>(CompiledQuery.raw(text, parameters))).rows;
    };
    return Object.assign(on(this.db), { on });
  }

  private pendingGroup: Array<{ work: (trx: Transaction<Database>) => Promise<unknown>; resolve: (value: unknown) => void; reject: (error: unknown) => void }> = [];

  /** SQLite: joins the group of this event-loop turn, flushed on the next `setImmediate`. */
  private enqueue<T>(work: (trx: Transaction<Database>) => Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.pendingGroup.push({ work, resolve: resolve as (value: unknown) => void, reject });
      if (this.pendingGroup.length === 1) setImmediate(() => void this.flushGroup());
    });
  }

  private async flushGroup(): Promise<void> {
    const batch = this.pendingGroup.splice(0, MAX_GROUP);
    if (this.pendingGroup.length > 0) setImmediate(() => void this.flushGroup());
    const outcomes: Array<{ ok: true; value: unknown } | { ok: false; error: unknown }> = [];
    try {
      await this.db.transaction().execute(async (trx) => {
        for (const entry of batch) {
          await trx.executeQuery(SAVEPOINT);
          try {
            const value = await entry.work(trx);
            await trx.executeQuery(RELEASE);
            outcomes.push({ ok: true, value });
          } catch (error) {
            await trx.executeQuery(ROLLBACK_TO);
            await trx.executeQuery(RELEASE);
            outcomes.push({ ok: false, error });
          }
        }
      });
    } catch (error) {
      // The commit itself failed: nothing of the batch was written.
      for (const entry of batch) entry.reject(error);
      return;
    }
    batch.forEach((entry, i) => {
      const outcome = outcomes[i]!;
      if (outcome.ok) entry.resolve(outcome.value);
      else entry.reject(outcome.error);
    });
  }

  private readonly fixedSql = new Map<string, string>();

  /**
   * SQL written by hand for a hot path, built once per shape (`key`) and kept: no query builder
   * runs per request, and the text stays the same so the prepared statement is reused. `mark(i)`
   * is the i-th placeholder (0-based) in the dialect's syntax.
   */
  sqlText(key: string, build: (mark: (index: number) => string) => string): string {
    let text = this.fixedSql.get(key);
    if (text === undefined) {
      text = build(this.mark);
      this.fixedSql.set(key, text);
    }
    return text;
  }
}
