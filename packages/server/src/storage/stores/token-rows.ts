/** Writing token rows: one INSERT per row count, its SQL text built once (shared by codes, tokens and rotation). */
import { CompiledQuery, type Kysely } from 'kysely';
import type { KyselyExecutor } from '../executor.js';
import { TOKEN_COLUMNS, tokenParameters } from '../rows.js';
import type { Database, TokensTable } from '../schema.js';
import { missingClientOr } from '../sql-errors.js';

export async function writeTokenRows(x: KyselyExecutor, executor: Kysely<Database>, rows: TokensTable[]): Promise<void> {
  const text = x.sqlText(`insert-tokens:${rows.length}`, (mark) => {
    const tuples = Array.from({ length: rows.length }, (_, row) => `(${TOKEN_COLUMNS.map((_, column) => mark(row * TOKEN_COLUMNS.length + column)).join(', ')})`);
    return `insert into tokens (${TOKEN_COLUMNS.join(', ')}) values ${tuples.join(', ')}`;
  });
  try {
    await executor.executeQuery(CompiledQuery.raw(text, tokenParameters(rows)));
  } catch (error) {
    throw missingClientOr(error);
  }
}
