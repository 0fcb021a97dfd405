/**
 * The revocation list: sealed access tokens are stored nowhere, so revoking what they belong to
 * (a grant, family, user or client) lists its subject until the longest access token has expired.
 */
import { CompiledQuery } from 'kysely';
import type { TokenStore } from '../../core/stores.js';
import { toUser, USER_SELECT, type Absent, type UserRow } from '../rows.js';
import { revocationProbe, revokeSubjectIn } from '../statements.js';
import type { StoreContext } from './context.js';

export type RevocationStore = Pick<TokenStore, 'revokeSubject' | 'anyRevokedSince' | 'revokedSinceWithUser'>;

export function revocationStore({ db, x }: StoreContext): RevocationStore {
  return {
    async revokeSubject(subject, now, until) {
      await revokeSubjectIn(db, subject, now, until);
    },

    /** Hot path (every sealed access token presented): fixed SQL text, primary-key probes only. */
    async anyRevokedSince(subjects, issuedAt) {
      const text = x.sqlText(`revoked:${subjects.length}`, (mark) => revocationProbe(mark, subjects.length));
      const { rows } = await db.executeQuery(CompiledQuery.raw(text, [...subjects, issuedAt]));
      return rows.length > 0;
    },

    async revokedSinceWithUser(subjects, issuedAt, userId) {
      // One row always: the probe's answer (1 or null) beside the user's columns (null when there is no such user).
      const text = x.sqlText(
        `revoked-with-user:${subjects.length}`,
        (mark) =>
          `select (${revocationProbe(mark, subjects.length)}) as revoked, ${USER_SELECT} ` +
          `from (select 1 as one) as probe left join users on users.id = ${mark(subjects.length + 1)}`,
      );
      const { rows } = await db.executeQuery<(UserRow | Absent<UserRow>) & { revoked: number | null }>(CompiledQuery.raw(text, [...subjects, issuedAt, userId]));
      const row = rows[0]!;
      return { revoked: row.revoked !== null, user: isUser(row) ? toUser(row) : undefined };
    },
  };
}

const isUser = (row: UserRow | Absent<UserRow>): row is UserRow => row.id !== null;
