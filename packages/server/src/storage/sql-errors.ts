/** Driver errors read as domain facts: a unique or foreign-key violation, on SQLite and on Postgres. */
import { NotFoundError } from '../core/errors.js';

/**
 * Unique violations: better-sqlite3 reports SQLITE_CONSTRAINT_UNIQUE / _PRIMARYKEY with
 * "UNIQUE constraint failed: table.column"; pg reports SQLSTATE 23505 with the constraint name,
 * which Postgres derives as `<table>_pkey` or `<table>_<column>_key`. `on` narrows the match to one constraint.
 */
export function isUniqueViolation(error: unknown, on?: { table: string; column: string; primaryKey?: boolean }): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const { code, message, constraint } = error as { code?: unknown; message?: unknown; constraint?: unknown };
  if (code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY') {
    return on === undefined || (typeof message === 'string' && message.endsWith(`: ${on.table}.${on.column}`));
  }
  if (code === '23505') {
    return on === undefined || constraint === (on.primaryKey ? `${on.table}_pkey` : `${on.table}_${on.column}_key`);
  }
  return false;
}

/** A row refers to one that is gone: SQLITE_CONSTRAINT_FOREIGNKEY, or SQLSTATE 23503 on Postgres. */
export function isForeignKeyViolation(error: unknown): boolean {
  const code = typeof error === 'object' && error !== null ? (error as { code?: unknown }).code : undefined;
  return code === 'SQLITE_CONSTRAINT_FOREIGNKEY' || code === '23503';
}

/** A token write refused by a foreign key: its client (or user) was deleted by another instance while this one still had it cached. */
export function missingClientOr(error: unknown): unknown {
  return isForeignKeyViolation(error) ? new NotFoundError('client', 'the client or user of this token no longer exists') : error;
}
