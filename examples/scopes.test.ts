/** examples/scopes.json loads with `gatehouse scopes import`, twice without changes (idempotent). */
import { readFile } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../packages/cli/src/main.js';
import { parseScopeFile } from '../packages/server/src/core/manage/scopes.js';
import { testDatabases, type TestDatabase } from '../packages/server/src/testing/databases.js';

const file = fileURLToPath(new URL('./scopes.json', import.meta.url));

async function cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await main(args, { stdout: (t) => void (stdout += t), stderr: (t) => void (stderr += t), env: {}, stdin: Readable.from([]) });
  return { code, stdout, stderr };
}

describe('examples/scopes.json', () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await testDatabases().find((factory) => factory.name === 'sqlite')!.open();
    await database.stores.close();
  });
  afterAll(async () => database?.close().catch(() => {}));

  it('is a valid catalogue of consent-friendly scopes', async () => {
    const scopes = parseScopeFile(await readFile(file, 'utf8'));
    expect(scopes.length).toBeGreaterThanOrEqual(40);
    for (const name of ['workspace:read', 'project:create', 'image:annotate', 'model:infer', 'training-job:create', 'workspace-stats:read', 'batch:read']) {
      expect(scopes.map((scope) => scope.name)).toContain(name);
    }
    expect(scopes.find((scope) => scope.name === 'project:read')!.requiresWorkspace).toBe(true);
  });

  it('imports with the CLI, and a second import changes nothing', async () => {
    const first = await cli(['scopes', 'import', file, '--database', database.url, '--json']);
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    const count = parseScopeFile(await readFile(file, 'utf8')).length;
    expect(JSON.parse(first.stdout)).toEqual({ created: count, updated: 0 });
    const second = await cli(['scopes', 'import', file, '--database', database.url, '--json']);
    expect(JSON.parse(second.stdout)).toEqual({ created: 0, updated: count });
    const listed = JSON.parse((await cli(['scopes', 'list', '--database', database.url, '--json'])).stdout) as { scopes: Array<{ name: string; requires_workspace: boolean }> };
    expect(listed.scopes.find((scope) => scope.name === 'model:deploy')).toMatchObject({ requires_workspace: true });
  });
});
