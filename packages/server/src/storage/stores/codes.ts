/**
 * Authorization code redemption. A code is sealed, not stored; redeeming it inserts its hash into
 * `code_redemptions`, and the first insert wins. Any later one finds the row and marks the replay,
 * so the engine can revoke a replayed code's tokens (RFC 9700 §4.2.4): `replayed_at` comes back
 * null only to the first. The two dialects do it differently, side by side below.
 */
import { CompiledQuery } from 'kysely';
import { isLiveGrant, type CodeRedemption, type CodeStore } from '../../core/stores.js';
import type { TokenRecord } from '../../core/model.js';
import type { Dialect } from '../database.js';
import { HOLDER_COLUMNS, tokenParameters, tokenRow, toHolders, type HolderJoin } from '../rows.js';
import { missingClientOr } from '../sql-errors.js';
import { redeemAndStoreSql } from '../statements.js';
import type { StoreContext } from './context.js';
import { writeTokenRows } from './token-rows.js';

type Redeem = (code: { codeHash: string; userId: string; grantId: string; expiresAt: number }, now: number, tokens: TokenRecord[]) => Promise<CodeRedemption>;

const redeemSql = (mark: (index: number) => string) =>
  `insert into code_redemptions (code_hash, expires_at) values (${mark(0)}, ${mark(1)}) ` +
  `on conflict (code_hash) do update set replayed_at = coalesce(code_redemptions.replayed_at, ${mark(2)}) returning replayed_at`;

const redeemers: Record<Dialect, (context: StoreContext) => Redeem> = {
  /** Postgres: the redemption, the holders' read and the token inserts in one statement, one round trip. */
  postgres: ({ db, x }) => async (code, now, tokens) => {
    const rows = tokens.map(tokenRow);
    const text = x.sqlText(`redeem-code-storing:${rows.length}`, (mark) => redeemAndStoreSql(redeemSql, mark, rows.length));
    try {
      const parameters = [code.codeHash, code.expiresAt, now, code.userId, code.grantId, ...tokenParameters(rows)];
      const [row] = (await db.executeQuery<{ replayed_at: number | null } & HolderJoin>(CompiledQuery.raw(text, parameters))).rows;
      return row!.replayed_at === null ? { status: 'redeemed', ...toHolders(row!) } : { status: 'replayed' };
    } catch (error) {
      throw missingClientOr(error);
    }
  },

  /** SQLite has one writer: nothing can revoke or disable between these statements of one savepoint. */
  sqlite: ({ x }) => {
    const holdersSql = (mark: (index: number) => string) =>
      `select ${HOLDER_COLUMNS} from (select 1 as one) as probe left join users on users.id = ${mark(0)} left join grants on grants.id = ${mark(1)}`;
    return (code, now, tokens) =>
      x.grouped(async (trx) => {
        const [row] = (await trx.executeQuery<{ replayed_at: number | null }>(CompiledQuery.raw(x.sqlText('redeem-code', redeemSql), [code.codeHash, code.expiresAt, now]))).rows;
        if (row!.replayed_at !== null) return { status: 'replayed' } as const;
        const [holderRow] = (await trx.executeQuery<HolderJoin>(CompiledQuery.raw(x.sqlText('holders', holdersSql), [code.userId, code.grantId]))).rows;
        const holders = toHolders(holderRow!);
        if (tokens.length > 0 && isLiveGrant(holders)) await writeTokenRows(x, trx, tokens.map(tokenRow));
        return { status: 'redeemed', ...holders } as const;
      });
  },
};

export function codeStore(context: StoreContext): CodeStore {
  const redeem = redeemers[context.dialect](context);
  return { redeemCode: (code, now, tokens = []) => redeem(code, now, tokens) };
}
