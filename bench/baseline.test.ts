/**
 * `--baseline-dir`: another checkout's Gatehouse runs beside this one in the same rounds, from
 * that checkout's own server script, and the report gives each scenario's ratio this / baseline.
 * The baseline here is a scratch directory whose server script announces itself, then runs this
 * checkout's: the figures mean nothing, the wiring is what is checked.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
// @ts-expect-error plain ESM helper without types
import { baselineHalfRateRows, baselineRows } from './lib/report.mjs';

const runner = fileURLToPath(new URL('./run.mjs', import.meta.url));
const realServer = new URL('./servers/gatehouse.mjs', import.meta.url).href;
const realDist = fileURLToPath(new URL('../packages/server/dist', import.meta.url));

function run(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [runner, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('baselineRows', () => {
  it('pairs each scenario and database with the baseline row, ratio this / baseline, every round beside it', () => {
    const rows = [
      { scenario: 'client_credentials', kind: 'gatehouse', db: 'sqlite', rps: 900, cpuUs: 110, rounds: [850, 900, 950] },
      { scenario: 'client_credentials', kind: 'gatehouse', db: 'sqlite', baseline: true, rps: 1000, cpuUs: 100, rounds: [1000, 980, 1010] },
      { scenario: 'client_credentials', kind: 'oidc-provider', db: 'sqlite', rps: 300 },
      { scenario: 'validate', kind: 'gatehouse', db: 'postgres', rps: 500 },
      { scenario: 'validate', kind: 'gatehouse', db: 'sqlite', rps: 2000 },
    ];
    expect(baselineRows(rows)).toEqual([['client_credentials', 'sqlite', '900', '1000', '0.90×', '110 µs', '100 µs', '850, 900, 950', '1000, 980, 1010']]);
    expect(rows[0]).toMatchObject({ ratioVsBaseline: 0.9 });
  });

  it('compares the half-rate p99 per database', () => {
    const half = [
      { db: 'sqlite', p99: 6 },
      { db: 'sqlite', baseline: true, p99: 4 },
      { db: 'postgres', p99: 5 },
    ];
    expect(baselineHalfRateRows(half)).toEqual([['sqlite', '6.00 ms', '4.00 ms', '1.50×']]);
  });
});

describe('bench/run.mjs --baseline-dir', () => {
  const dir = mkdtempSync(join(tmpdir(), 'gatehouse-baseline-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('runs the baseline checkout\'s own server in every round beside this one and prints this / baseline per scenario', { timeout: 120_000 }, async () => {
    mkdirSync(join(dir, 'bench/servers'), { recursive: true });
    mkdirSync(join(dir, 'packages/server'), { recursive: true });
    symlinkSync(realDist, join(dir, 'packages/server/dist'));
    writeFileSync(join(dir, 'bench/servers/gatehouse.mjs'), `console.error('baseline server script started');\nawait import(${JSON.stringify(realServer)});\n`);
    const { code, stdout, stderr } = await run(['--quick', '--duration=0.3', '--connections=4', '--no-growth', '--no-postgres', '--no-half-rate', '--only=gatehouse', '--scenarios=client_credentials,validate', '--rounds=2', '--no-write', `--baseline-dir=${dir}`]);
    expect(code, stderr.slice(-2000)).toBe(0);
    expect(stderr.match(/baseline server script started/g)).toHaveLength(2);
    expect(stdout).toMatch(/\| client_credentials +\| Baseline( \w+)? \(SQLite\) +\| \d+ /);
    const table = stdout.slice(stdout.indexOf('Against the baseline'), stdout.indexOf('Targets'));
    for (const scenario of ['client_credentials', 'validate']) {
      expect(table).toMatch(new RegExp(`\\| ${scenario} +\\| sqlite +\\| \\d+ +\\| \\d+ +\\| [\\d.]+× +\\| \\d+ µs +\\| \\d+ µs +\\| \\d+, \\d+ +\\| \\d+, \\d+ +\\|`));
    }
    // The targets are this build's only.
    expect(stdout.slice(stdout.indexOf('Targets'))).not.toContain('Baseline');
  });

  it('refuses a directory without a built Gatehouse', async () => {
    const { code, stderr } = await run(['--quick', '--no-write', `--baseline-dir=${join(dir, 'missing')}`]);
    expect(code).not.toBe(0);
    expect(stderr).toContain('npm ci && npm run build');
  });
});
