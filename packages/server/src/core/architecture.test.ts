import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const script = new URL('../../../../scripts/lint-core-imports.mjs', import.meta.url).pathname;

describe('core import rule', () => {
  it('passes on the protocol engine as it is', () => {
    expect(execFileSync('node', [script], { encoding: 'utf8' })).toContain('ok');
  });

  it('rejects HTTP-framework and SQL imports inside core', () => {
    const dir = mkdtempSync(join(tmpdir(), 'core-lint-'));
    writeFileSync(join(dir, 'bad.ts'), "import { Hono } from 'hono';\nimport { sql } from 'kysely';\nimport { x } from '../storage/index.js';\n");
    const result = spawnSync('node', [script, dir], { encoding: 'utf8' });
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('"hono"');
    expect(result.stderr).toContain('"kysely"');
    expect(result.stderr).toContain('"../storage/index.js"');
  });
});
