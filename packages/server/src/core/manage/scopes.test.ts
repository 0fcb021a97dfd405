import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDatabases } from '../../testing/databases.js';
import { ConflictError, ValidationError } from '../errors.js';
import { defaultCoreConfig } from '../config.js';
import type { Stores } from '../stores.js';
import { createScope, importScopes, listScopes, parseScopeFile, validateScopeName } from './scopes.js';
import type { ManageDeps } from './deps.js';

describe('scope names', () => {
  it.each(['project:read', 'model-eval:read', 'training-job:create', 'files:*', 'a', 'api.v2:read:all', 'snake_case'])('accepts %s', (name) =>
    expect(validateScopeName(name)).toBe(name),
  );
  it.each(['', 'Project:read', '1abc', 'has space', 'a:', ':a', 'a::b', 'x'.repeat(65), 'a"b', 'a*'])('rejects %j', (name) =>
    expect(() => validateScopeName(name)).toThrow(ValidationError),
  );
});

describe('parseScopeFile', () => {
  it('names the failing entry', () => {
    expect(() => parseScopeFile('{')).toThrow(/not valid JSON/);
    expect(() => parseScopeFile('{}')).toThrow(/array/);
    expect(() => parseScopeFile([{ name: 'ok', description: 'fine' }, { name: 'Bad', description: 'x' }])).toThrow(/scopes\[1\]\.name/);
    expect(() => parseScopeFile([{ name: 'ok' }])).toThrow(/scopes\[0\]\.description/);
    expect(() => parseScopeFile([{ name: 'ok', description: 'x', requires_workspace: 'yes' }])).toThrow(/requires_workspace/);
    expect(() => parseScopeFile([{ name: 'ok', description: 'a' }, { name: 'ok', description: 'b' }])).toThrow(/twice/);
  });
});

for (const database of testDatabases()) {
  describe(`scopes on ${database.name}`, () => {
    let stores: Stores;
    /** The services' dependencies, with the clock at `now` (default: the wall clock). */
    const deps = (now = Math.floor(Date.now() / 1000)): ManageDeps => ({ stores, config: defaultCoreConfig('http://localhost:3000'), now: () => now });
    let close: () => Promise<void>;
    beforeAll(async () => {
      const opened = await database.open();
      stores = opened.stores;
      close = opened.close;
    });
    afterAll(async () => close?.());

    it('creates and lists scopes', async () => {
      const scope = await createScope(deps(), { name: 'project:read', description: ' Read your projects ', requiresWorkspace: true });
      expect(scope).toMatchObject({ name: 'project:read', description: 'Read your projects', requiresWorkspace: true, builtin: false });
      const names = (await listScopes(deps())).map((s) => s.name);
      expect(names).toContain('project:read');
    });

    it('rejects duplicates and invalid input', async () => {
      await expect(createScope(deps(), { name: 'project:read', description: 'again' })).rejects.toBeInstanceOf(ConflictError);
      await expect(createScope(deps(), { name: 'ok:name', description: '' })).rejects.toMatchObject({ field: 'description' });
      await expect(createScope(deps(), { name: 'ok:name', description: 'd'.repeat(201) })).rejects.toMatchObject({ field: 'description' });
      await expect(createScope(deps(), { name: 'Nope', description: 'x' })).rejects.toMatchObject({ field: 'name' });
    });

    it('imports idempotently', async () => {
      const file = JSON.stringify([
        { name: 'model-eval:read', description: 'Read evaluations', requires_workspace: true },
        { name: 'training-job:create', description: 'Start training jobs', requiresWorkspace: false },
        { name: 'project:read', description: 'Read projects (updated)' },
      ]);
      expect(await importScopes(deps(), file)).toEqual({ created: 2, updated: 1 });
      expect(await importScopes(deps(), file)).toEqual({ created: 0, updated: 3 });
      const [evalScope, project] = await stores.findScopes(['model-eval:read', 'project:read']).then((list) =>
        ['model-eval:read', 'project:read'].map((n) => list.find((s) => s.name === n)),
      );
      expect(evalScope).toMatchObject({ requiresWorkspace: true, description: 'Read evaluations' });
      expect(project).toMatchObject({ requiresWorkspace: false, description: 'Read projects (updated)' });
    });

    it('validates the whole file before writing and protects built-in scopes', async () => {
      await expect(importScopes(deps(), [{ name: 'new:one', description: 'x' }, { name: 'BAD', description: 'x' }])).rejects.toBeInstanceOf(
        ValidationError,
      );
      expect(await stores.findScopes(['new:one'])).toEqual([]);
      const builtin = (await stores.listScopes()).find((scope) => scope.builtin);
      if (builtin) {
        await expect(importScopes(deps(), [{ name: builtin.name, description: 'hijack' }])).rejects.toThrow(/built-in/);
      }
    });
  });
}
