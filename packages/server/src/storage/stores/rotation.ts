/**
 * The two writes that race on a refresh token, once per dialect, side by side: rotating it (the
 * conditional UPDATE is the arbiter) and storing the access token a grace-window retry answers
 * only while the successor is still live.
 */
import { CompiledQuery } from 'kysely';
import type { TokenRecord } from '../../core/model.js';
import type { Dialect } from '../database.js';
import { TOKEN_COLUMN_TYPES, TOKEN_COLUMNS, tokenParameters, tokenRow } from '../rows.js';
import { missingClientOr } from '../sql-errors.js';
import { rotateSql } from '../statements.js';
import type { StoreContext } from './context.js';
import { writeTokenRows } from './token-rows.js';

export interface RotationWrites {
  /** True when this call rotated `oldHash` and stored `successors`; false when another caller had. */
  rotate(oldHash: string, successors: TokenRecord[], successorBox: string, now: number): Promise<boolean>;
  /** Stores `tokens` only while `liveHash` is unrevoked; true when stored (or, with no tokens, when live). */
  insertWhileLive(tokens: TokenRecord[], liveHash: string): Promise<boolean>;
}

const liveSql = (mark: (index: number) => string) => `select 1 as live from tokens where token_hash = ${mark(0)} and revoked_at is null`;

export const rotationWrites: Record<Dialect, (context: StoreContext) => RotationWrites> = {
  postgres: ({ db, x }) => ({
    /**
     * The conditional UPDATE and the successor inserts as one statement (data-modifying CTEs), one
     * round trip instead of four; each insert selects from the UPDATE's result, so nothing is
     * inserted unless this statement rotated the token. A racing transaction blocks on the row
     * lock, re-checks `rotated_at IS NULL` against the committed row and updates nothing.
     */
    async rotate(oldHash, successors, successorBox, now) {
      const width = TOKEN_COLUMNS.length;
      const text = x.sqlText(`rotate:${successors.length}`, (mark) => {
        const inserts = successors.map(
          (_, row) =>
            `, inserted_${row} as (insert into tokens (${TOKEN_COLUMNS.join(', ')}) ` +
            `select ${TOKEN_COLUMNS.map((_, column) => mark(3 + row * width + column)).join(', ')} from rotated)`,
        );
        return `with rotated as (${rotateSql(mark)})${inserts.join('')} select count(*) as rotated from rotated`;
      });
      try {
        const { rows } = await db.executeQuery<{ rotated: number | string }>(CompiledQuery.raw(text, [now, successorBox, oldHash, ...tokenParameters(successors.map(tokenRow))]));
        return Number(rows[0]!.rotated) > 0;
      } catch (error) {
        throw missingClientOr(error);
      }
    },

    /** The successor read `FOR SHARE` in the inserting statement: a revocation waits for it, or it sees the revocation. */
    async insertWhileLive(tokens, liveHash) {
      const rows = tokens.map(tokenRow);
      if (rows.length === 0) return (await db.executeQuery(CompiledQuery.raw(x.sqlText('token-live', liveSql), [liveHash]))).rows.length > 0;
      const text = x.sqlText(`insert-tokens-while-live:${rows.length}`, (mark) => {
        const selects = rows.map((_, row) => `select ${TOKEN_COLUMNS.map((column, i) => `${mark(1 + row * TOKEN_COLUMNS.length + i)}::${TOKEN_COLUMN_TYPES[column]}`).join(', ')}`);
        return (
          `with live as (select token_hash from tokens where token_hash = ${mark(0)} and revoked_at is null for share) ` +
          `insert into tokens (${TOKEN_COLUMNS.join(', ')}) select * from (${selects.join(' union all ')}) as issued ` +
          'where exists (select 1 from live) returning token_hash'
        );
      });
      try {
        return (await db.executeQuery(CompiledQuery.raw(text, [liveHash, ...tokenParameters(rows)]))).rows.length > 0;
      } catch (error) {
        throw missingClientOr(error);
      }
    },
  }),

  /** SQLite has one writer: each pair of statements in one savepoint of the group commit cannot interleave with another write. */
  sqlite: ({ db, x }) => ({
    rotate(oldHash, successors, successorBox, now) {
      return x.grouped(async (trx) => {
        const { rows } = await trx.executeQuery(CompiledQuery.raw(x.sqlText('rotate-refresh', rotateSql), [now, successorBox, oldHash]));
        if (rows.length === 0) return false;
        if (successors.length > 0) await writeTokenRows(x, trx, successors.map(tokenRow));
        return true;
      });
    },

    async insertWhileLive(tokens, liveHash) {
      const live = x.sqlText('token-live', liveSql);
      if (tokens.length === 0) return (await db.executeQuery(CompiledQuery.raw(live, [liveHash]))).rows.length > 0;
      return x.grouped(async (trx) => {
        if ((await trx.executeQuery(CompiledQuery.raw(live, [liveHash]))).rows.length === 0) return false;
        await writeTokenRows(x, trx, tokens.map(tokenRow));
        return true;
      });
    },
  }),
};
