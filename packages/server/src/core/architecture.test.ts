import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const script = new URL('../../../../scripts/lint-core-imports.mjs', import.meta.url).pathname;

// The script is plain JavaScript; loaded through a variable so the type checker leaves it alone.
const { lintSource } = (await import(script)) as { lintSource: (layer: string, path: string, text: string) => string[] };

/** Lints one probe file placed in `layer`'s folder (default core), in process: status 1 with the problems, as the CLI reports them. */
function lint(source: string, layer = 'core', name = 'probe.ts') {
  const problems = lintSource(layer, name, source);
  return { status: problems.length > 0 ? 1 : 0, stderr: problems.join('\n') };
}

describe('layer import rule', () => {
  it('passes on the source tree as it is', () => {
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

  it.each([
    ['a side-effect import', "import 'kysely';\n", '"kysely"'],
    ['require()', "const pg = require('pg');\n", '"pg"'],
    ['import = require()', "import Database = require('better-sqlite3');\n", '"better-sqlite3"'],
    ['a dynamic import()', "export const load = () => import('node:sqlite');\n", '"node:sqlite"'],
    ['a re-export', "export { sql } from 'kysely';\n", '"kysely"'],
    ['a type-only import', "import type { Pool } from 'pg';\n", '"pg"'],
    ['an import() type', "export type Db = import('kysely').Kysely<unknown>;\n", '"kysely"'],
    ['require.resolve()', "export const where = require.resolve('pg');\n", '"pg"'],
    ['a nested require()', "export function f() { if (Math.random()) { return require('node:http'); } }\n", '"node:http"'],
    ['a computed specifier', "const name = 'pg';\nexport const load = () => import(name);\n", 'computed specifier'],
    ['a module outside the allowlist', "import { z } from 'zod';\n", '"zod"'],
    ['a Node built-in outside the allowlist', "import { readFileSync } from 'node:fs';\n", '"node:fs"'],
    ['another layer through a relative path', "import { renderHtml } from '../ui/render.js';\n", '"../ui/render.js"'],
    ['the composition root', "import { createGatehouse } from '../gatehouse.js';\n", '"../gatehouse.js"'],
  ])('catches %s in core', (_form, source, expected) => {
    const result = lint(source);
    expect(result.status).toBe(1);
    expect(result.stderr).toContain(expected);
    expect(result.stderr).toMatch(/probe\.ts:\d+: core must not/);
  });

  it('lets core import itself and its four packages', () => {
    const result = lint(
      "import { createHash } from 'node:crypto';\nimport { gzipSync } from 'node:zlib';\nimport { jwtVerify } from 'jose';\nimport { hash } from '@node-rs/argon2';\nimport type { Stores } from './stores.js';\nimport { errors } from './error-catalogue.js';\n",
    );
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
  });

  it('keeps http away from storage and SQL libraries, and lets it use core, ui and Hono', () => {
    for (const [source, expected] of [
      ["import { openStores } from '../storage/index.js';\n", '"../storage/index.js"'],
      ["import pg from 'pg';\n", '"pg"'],
      ["const db = require('node:sqlite');\n", '"node:sqlite"'],
      ["import { sql } from 'kysely';\n", '"kysely"'],
    ] as const) {
      const result = lint(source, 'http');
      expect(result.status, source).toBe(1);
      expect(result.stderr).toContain(expected);
    }
    const ok = lint("import { Hono } from 'hono';\nimport { getCookie } from 'hono/cookie';\nimport type { CoreDeps } from '../core/deps.js';\nimport { paths } from '../ui/routes.js';\nimport { isIP } from 'node:net';\n", 'http');
    expect(ok.stderr).toBe('');
  });

  it('keeps ui to itself and hono/jsx', () => {
    for (const [source, expected] of [
      ["import type { CoreDeps } from '../core/deps.js';\n", '"../core/deps.js"'],
      ["import { Hono } from 'hono';\n", '"hono"'],
      ["import { readSessionCookie } from '../http/cookies.js';\n", '"../http/cookies.js"'],
    ] as const) {
      const result = lint(source, 'ui', 'probe.tsx');
      expect(result.status, source).toBe(1);
      expect(result.stderr).toContain(expected);
    }
    const ok = lint("import type { Child } from 'hono/jsx';\nimport { raw } from 'hono/html';\nimport { paths } from './routes.js';\n", 'ui', 'probe.tsx');
    expect(ok.stderr).toBe('');
  });

  it('keeps storage away from http and ui, and lets it use core and its drivers', () => {
    for (const source of ["import { renderHtml } from '../ui/render.js';\n", "import { NO_STORE } from '../http/respond.js';\n", "import { Hono } from 'hono';\n"]) {
      expect(lint(source, 'storage').status, source).toBe(1);
    }
    const ok = lint("import { Kysely } from 'kysely';\nimport pg from 'pg';\nimport Database from 'better-sqlite3';\nimport type { Stores } from '../core/stores.js';\nimport { join } from 'node:path';\n", 'storage');
    expect(ok.stderr).toBe('');
  });

  it('keeps net to itself and the Node modules that open connections, out of core and open to http', () => {
    for (const [source, expected] of [
      ["import { readFileSync } from 'node:fs';\n", '"node:fs"'],
      ["import { request } from 'node:http';\n", '"node:http"'],
      ["import type { CoreDeps } from '../core/deps.js';\n", '"../core/deps.js"'],
      ["import { Hono } from 'hono';\n", '"hono"'],
    ] as const) {
      const result = lint(source, 'net');
      expect(result.status, source).toBe(1);
      expect(result.stderr).toContain(expected);
    }
    const ok = lint("import { request } from 'node:https';\nimport { promises } from 'node:dns';\nimport { isIP } from 'node:net';\nimport { rootCertificates } from 'node:tls';\nimport { URL } from 'node:url';\nimport { isPublicAddress } from './addresses.js';\n", 'net');
    expect(ok.stderr).toBe('');
    expect(lint("import { fetchJsonDocument } from '../net/safe-fetch.js';\n").stderr).toContain('core must not import "../net/safe-fetch.js"');
    expect(lint("import { fetchJsonDocument } from '../net/safe-fetch.js';\n", 'http').stderr).toBe('');
  });

  it('checks the files of a folder from the command line, nested ones against the layer they sit in, and skips tests', () => {
    const dir = mkdtempSync(join(tmpdir(), 'layer-lint-'));
    mkdirSync(join(dir, 'pages', 'admin'), { recursive: true });
    writeFileSync(join(dir, 'pages', 'admin', 'page.tsx'), "import { Layout } from '../../components.js';\nconst db = require('node:sqlite');\n");
    writeFileSync(join(dir, 'page.test.tsx'), "import { describe } from 'vitest';\n");
    const result = spawnSync('node', [script, '--layer', 'ui', dir], { encoding: 'utf8' });
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/page\.tsx:2: ui must not import "node:sqlite" \(require\(\)\)/);
    expect(result.stderr).not.toContain('components.js');
    expect(result.stderr).not.toContain('vitest');
  });
});
