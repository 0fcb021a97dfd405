/** The scope catalogue. `findScopes` reads the catalogue whole: `cache/cached-scopes.ts` keeps it in memory. */
import { ConflictError } from '../../core/errors.js';
import type { Scope } from '../../core/model.js';
import type { ScopeStore } from '../../core/stores.js';
import { flag, scopeRow, toScope } from '../rows.js';
import { isUniqueViolation } from '../sql-errors.js';
import type { StoreContext } from './context.js';

/** The scopes of `catalogue` named in `names`, each once, sorted by name (code-unit order, the same on every database). */
export function scopesNamed(catalogue: ReadonlyMap<string, Scope>, names: readonly string[]): Scope[] {
  const found: Scope[] = [];
  for (const name of new Set(names)) {
    const scope = catalogue.get(name);
    if (scope) found.push({ ...scope });
  }
  return found.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

export function scopeStore({ db }: StoreContext): ScopeStore {
  const listScopes = async (): Promise<Scope[]> => {
    const rows = await db.selectFrom('scopes').selectAll().orderBy('name').execute();
    return rows.map(toScope);
  };

  return {
    async createScope(scope) {
      try {
        await db.insertInto('scopes').values(scopeRow(scope)).execute();
      } catch (error) {
        if (isUniqueViolation(error, { table: 'scopes', column: 'name', primaryKey: true })) throw new ConflictError('name', `scope "${scope.name}" already exists`);
        throw error;
      }
      return { ...scope };
    },

    /** An existing scope keeps its `builtin` mark; only description and `requiresWorkspace` change. */
    async upsertScope(scope) {
      const inserted = await db
        .insertInto('scopes')
        .values(scopeRow(scope))
        .onConflict((oc) => oc.column('name').doNothing())
        .returning('name')
        .executeTakeFirst();
      if (inserted) return { created: true };
      await db
        .updateTable('scopes')
        .set({ description: scope.description, requires_workspace: flag(scope.requiresWorkspace) })
        .where('name', '=', scope.name)
        .execute();
      return { created: false };
    },

    listScopes,

    async findScopes(names) {
      if (names.length === 0) return [];
      const all = await listScopes();
      return scopesNamed(new Map(all.map((scope) => [scope.name, scope])), names);
    },

    async deleteScope(name) {
      const result = await db.deleteFrom('scopes').where('name', '=', name).executeTakeFirst();
      return result.numDeletedRows > 0n;
    },
  };
}
