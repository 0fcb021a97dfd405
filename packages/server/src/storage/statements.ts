/** Statements shared by several aggregates: the revocation list and the hand-written token SQL. */
import { sql, type Kysely } from 'kysely';
import type { Database } from './schema.js';
import { GRANT_COLUMNS, HOLDER_COLUMNS, TOKEN_COLUMNS, TOKEN_COLUMN_TYPES, USER_COLUMNS } from './rows.js';

/** Upsert: a second revocation of the same subject moves `revoked_at` and `expires_at` forward, never back. */
export async function revokeSubjectIn(db: Kysely<Database>, subject: string, now: number, until: number): Promise<void> {
  await db
    .insertInto('revocations')
    .values({ subject, revoked_at: now, expires_at: until })
    .onConflict((oc) =>
      oc.column('subject').doUpdateSet({
        revoked_at: sql<number>`case when excluded.revoked_at > revocations.revoked_at then excluded.revoked_at else revocations.revoked_at end`,
        expires_at: sql<number>`case when excluded.expires_at > revocations.expires_at then excluded.expires_at else revocations.expires_at end`,
      }),
    )
    .execute();
}

/**
 * Revokes matching tokens until a pass finds none. One UPDATE is not enough on Postgres: a refresh
 * rotation that commits while the UPDATE runs inserts successors the statement's snapshot cannot
 * see, and they would survive a family or grant revocation. The next pass sees them; a rotation
 * can no longer start from a token already revoked here, so the loop ends (normally after two passes).
 */
export async function revokeTokensWhere(db: Kysely<Database>, column: 'grant_id' | 'family_id' | 'user_id', value: string, now: number): Promise<number> {
  let total = 0;
  for (;;) {
    const result = await db
      .updateTable('tokens')
      .set({ revoked_at: now })
      .where(column, '=', value)
      .where('revoked_at', 'is', null)
      .executeTakeFirst();
    const revoked = Number(result.numUpdatedRows);
    if (revoked === 0) return total;
    total += revoked;
  }
}

/** Whether any of `count` subjects (placeholders 0…count-1) was revoked at or after placeholder `count`. */
export function revocationProbe(mark: (index: number) => string, count: number): string {
  const subjects = Array.from({ length: count }, (_, i) => mark(i)).join(', ');
  return `select 1 as hit from revocations where subject in (${subjects}) and revoked_at >= ${mark(count)} limit 1`;
}

/** A refresh token's rotation, only while it is live and not yet rotated (placeholders: rotated_at, successor_box, token_hash). */
export const rotateSql = (mark: (index: number) => string): string =>
  `update tokens set rotated_at = ${mark(0)}, successor_box = ${mark(1)} ` +
  `where token_hash = ${mark(2)} and kind = 'refresh' and rotated_at is null and revoked_at is null returning token_hash`;

/**
 * Postgres: a sealed code's redemption (`redeem`, placeholders 0–2), its user and grant (3, 4)
 * and the insert of `count` token rows (from 5), in one statement. The user and grant rows are
 * read FOR SHARE: a disable or a revocation running at the same time waits for this statement,
 * then revokes what it stored; one that committed first is seen, and nothing is stored.
 */
export function redeemAndStoreSql(redeem: (mark: (index: number) => string) => string, mark: (index: number) => string, count: number): string {
  const holderUser = `holder_user as (select ${USER_COLUMNS.join(', ')} from users where id = ${mark(3)} for share)`;
  const holderGrant = `holder_grant as (select ${GRANT_COLUMNS.join(', ')} from grants where id = ${mark(4)} for share)`;
  const ctes = [holderUser, holderGrant, `redeemed as (${redeem(mark)})`];
  if (count > 0) {
    const selects = Array.from(
      { length: count },
      (_, row) => `select ${TOKEN_COLUMNS.map((column, i) => `${mark(5 + row * TOKEN_COLUMNS.length + i)}::${TOKEN_COLUMN_TYPES[column]}`).join(', ')}`,
    );
    ctes.push(
      `stored as (insert into tokens (${TOKEN_COLUMNS.join(', ')}) select * from (${selects.join(' union all ')}) as issued ` +
        'where exists (select 1 from redeemed where replayed_at is null) and exists (select 1 from holder_user where disabled_at is null) ' +
        'and exists (select 1 from holder_grant where revoked_at is null))',
    );
  }
  return `with ${ctes.join(', ')} select redeemed.replayed_at, ${HOLDER_COLUMNS} from redeemed left join holder_user as users on true left join holder_grant as grants on true`;
}
