/**
 * The benchmark runner's smoke run (`npm run bench -- --quick`, shortened further): every
 * scenario against every server, on SQLite and Postgres, so the runner keeps working. It measures
 * nothing worth reading; the figures are in docs/performance.md.
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { defaultTestDatabaseUrl } from '../packages/server/src/testing/databases.js';

const runner = fileURLToPath(new URL('./run.mjs', import.meta.url));

function run(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [runner, ...args], {
      env: { ...process.env, BENCH_DATABASE_URL: process.env.TEST_DATABASE_URL ?? defaultTestDatabaseUrl },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('bench/run.mjs --quick', () => {
  it('runs every scenario against Gatehouse and oidc-provider on SQLite and Postgres, and against the floor, and prints the tables', { timeout: 240_000 }, async () => {
    const { code, stdout, stderr } = await run(['--quick', '--duration=0.3', '--connections=4', '--flows=2', '--growth=1000,2000', '--no-write']);
    expect(code, stderr.slice(-2000)).toBe(0);
    const servers = ['Gatehouse (SQLite)', 'Gatehouse (Postgres)', 'oidc-provider (memory Map)', 'oidc-provider (SQLite)', 'oidc-provider (Postgres)'];
    for (const scenario of ['client_credentials', 'introspection', 'refresh_rotation', 'refresh_rotation_api', 'userinfo', 'discovery', 'code_flow (flows/s)']) {
      for (const server of servers) expect(stdout).toMatch(new RegExp(`\\| ${scenario.replace(/[()/]/g, '\\$&')} +\\| ${server.replace(/[()]/g, '\\$&')} +\\| \\d+ `));
    }
    expect(stdout).toMatch(/\| validate +\| Gatehouse \(SQLite\) +\| \d+ /);
    // No request failed, and every Gatehouse row has its ratios against both oidc-provider adapters.
    expect(stdout).not.toMatch(/\d+ err\)/);
    expect(stdout).toMatch(/\| client_credentials +\| Gatehouse \(Postgres\) +\| \d+ +\|[^|]+\|[^|]+\| \d+ µs +\| [\d.]+× +\| [\d.]+× +\| [\d.]+× +\| [\d.]+× +\|/);
    expect(stdout).toContain('at half the measured max rate');
    // The floor runs every scenario too, and every server is read against it; oidc-provider's rows carry the best ratio possible against it.
    for (const scenario of ['client_credentials', 'introspection', 'validate', 'refresh_rotation', 'refresh_rotation_api', 'userinfo', 'discovery', 'code_flow (flows/s)']) {
      expect(stdout).toMatch(new RegExp(`\\| ${scenario.replace(/[()/]/g, '\\$&')} +\\| Floor \\(Hono, no storage\\) +\\| \\d+ `));
    }
    const floorTable = stdout.slice(stdout.indexOf('Against the floor'));
    expect(floorTable).toMatch(/\| refresh_rotation +\| Gatehouse \(Postgres\) +\| \d+ +\| \d+ % +\| (-?\d+ µs)? *\| +\|/);
    expect(floorTable).toMatch(/\| code_flow +\| oidc-provider \(memory Map\) +\| \d+ +\| \d+ % +\| (-?\d+ µs)? *\| [\d.]+× +\|/);
    for (const kind of ['access', 'refresh']) expect(stdout).toMatch(new RegExp(`Gatehouse \\(Postgres\\) +\\| ${kind} token +\\| 2,000 `));
    expect(stdout).toContain('Targets');
  });
});
