/**
 * Hot path (every authorization request): `findScopes` is answered from the whole catalogue, kept
 * in memory for `ttlMs` like clients (writes through this decorator clear it; another instance's
 * are seen within that time). The catalogue is small and changes rarely.
 */
import type { Scope } from '../../core/model.js';
import type { ScopeStore } from '../../core/stores.js';
import { scopesNamed } from '../stores/scopes.js';

export function cachedScopes(store: ScopeStore, ttlMs: number): ScopeStore {
  if (ttlMs <= 0) return store;
  let catalogue: { byName: Map<string, Scope>; until: number } | undefined;
  const clearing =
    <A extends unknown[], R>(write: (...args: A) => Promise<R>) =>
    async (...args: A): Promise<R> => {
      try {
        return await write(...args);
      } finally {
        catalogue = undefined;
      }
    };

  return {
    ...store,
    createScope: clearing(store.createScope),
    upsertScope: clearing(store.upsertScope),
    deleteScope: clearing(store.deleteScope),
    async findScopes(names) {
      if (names.length === 0) return [];
      if (!catalogue || catalogue.until <= Date.now()) {
        const all = await store.listScopes();
        catalogue = { byName: new Map(all.map((scope) => [scope.name, scope])), until: Date.now() + ttlMs };
      }
      return scopesNamed(catalogue.byName, names);
    },
  };
}
