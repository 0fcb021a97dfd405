#!/usr/bin/env node
/**
 * Gatehouse vs node-oidc-provider, side by side, over loopback.
 *
 *   npm run bench                       full run (~10 s per scenario, growth test to 1 M tokens)
 *   npm run bench -- --quick            ~1 s per scenario, growth test at 10 k only (runner smoke test)
 *   options: --duration=S --connections=N --flows=N --no-postgres --no-growth --growth=10000,1000000
 *            --only=gatehouse|oidc-provider|floor  --no-floor  --scenarios=a,b  --profile (Gatehouse children run with --cpu-prof)
 *            --rounds=N (medians over N rounds)  --no-write (do not write bench/results or docs)
 *            --baseline-dir=DIR (DIR's Gatehouse build beside this one, ratios this / baseline)
 *
 * Every server under test runs in its own child process (bench/servers/*.mjs), and so does the
 * floor (bench/servers/floor.mjs), the reference both are read against; this process only
 * generates load (autocannon, plus keep-alive node:http loops for the flows autocannon cannot
 * express). Results go to bench/results/<YYYY-MM-DD>.json.
 * Needs `npx tsc -b packages/server` first (imports packages/server/dist).
 *
 * This file only runs the plan: options in lib/options.mjs, servers in lib/servers.mjs, drivers
 * and measurement in lib/drivers.mjs and lib/measure.mjs, the scenarios in scenarios.mjs, the
 * token-table growth test in growth.mjs, and the tables and targets in lib/report.mjs.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync, existsSync, readdirSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { summarizeProfile } from './lib/profile.mjs';
import { medianOfRounds } from './lib/rounds.mjs';
import { SCENARIOS, benchTarget } from './scenarios.mjs';
import { fmt, buildTable, FLOOR, floorRows, baselineRows, baselineHalfRateRows, markdownTable, evaluateTargets } from './lib/report.mjs';
import { growthTest } from './growth.mjs';
import { here, root, opts, started, log } from './lib/options.mjs';
import { pgReachable, pgAdmin, tmpRoot, pgSchemas, profileDir } from './lib/servers.mjs';

async function main() {
  const postgres = opts.postgres && (await pgReachable(opts.pgUrl));
  if (opts.postgres && !postgres) log(`Postgres at ${opts.pgUrl} is unreachable: SQLite only`);
  const baseline = opts.baselineDir ? { dir: opts.baselineDir, commit: gitCommit(opts.baselineDir) } : undefined;
  const baselineTarget = (db, label) => ({ id: `baseline-${db}`, kind: 'gatehouse', db, label: `Baseline${baseline.commit ? ` ${baseline.commit}` : ''} (${label})`, baselineDir: baseline.dir });
  const targets = [
    { id: 'gatehouse-sqlite', kind: 'gatehouse', db: 'sqlite', label: 'Gatehouse (SQLite)' },
    ...(baseline ? [baselineTarget('sqlite', 'SQLite')] : []),
    ...(postgres ? [{ id: 'gatehouse-postgres', kind: 'gatehouse', db: 'postgres', label: 'Gatehouse (Postgres)' }] : []),
    ...(postgres && baseline ? [baselineTarget('postgres', 'Postgres')] : []),
    { id: 'oidc-provider-memory', kind: 'oidc-provider', db: 'memory', label: 'oidc-provider (memory Map)' },
    { id: 'oidc-provider-sqlite', kind: 'oidc-provider', db: 'sqlite', label: 'oidc-provider (SQLite)' },
    ...(postgres ? [{ id: 'oidc-provider-postgres', kind: 'oidc-provider', db: 'postgres', label: 'oidc-provider (Postgres)' }] : []),
    ...(opts.floor ? [FLOOR] : []),
  ].filter((t) => !opts.only || t.kind === opts.only);

  const roundRows = [];
  const roundHalfRate = [];
  const growth = [];
  for (let round = 1; round <= opts.rounds; round++) {
    if (opts.rounds > 1) log(`round ${round} of ${opts.rounds}`);
    // Against a baseline, every other round runs the servers in reverse order, so neither build
    // always goes first into a slow or a quiet minute.
    for (const target of baseline && round % 2 === 0 ? [...targets].reverse() : targets) {
      const [rowsBefore, halfBefore] = [roundRows.length, roundHalfRate.length];
      await benchTarget(target, roundRows, roundHalfRate);
      if (opts.rounds > 1) for (const row of [...roundRows.slice(rowsBefore), ...roundHalfRate.slice(halfBefore)]) row.round = round;
    }
  }
  const rows = medianOfRounds(roundRows);
  const halfRate = medianOfRounds(roundHalfRate, { key: (row) => row.target, value: (row) => row.p99 });
  if (opts.growth.length && (!opts.only || opts.only === 'gatehouse')) {
    await growthTest('sqlite', 'Gatehouse (SQLite)', growth);
    if (postgres) await growthTest('postgres', 'Gatehouse (Postgres)', growth);
  }

  // Scenario-major order for the table.
  const order = (r) => SCENARIOS.indexOf(r.scenario) * 100 + targets.findIndex((t) => t.id === r.target);
  rows.sort((a, b) => order(a) - order(b));
  const table = buildTable(rows);
  const floorLines = floorRows(rows);
  const floorTable = floorLines.length ? markdownTable(['scenario', 'server', 'req/s', 'of the floor', 'CPU/req above the floor', 'best possible GH/OP'], floorLines) : '';
  const targetsMet = evaluateTargets(rows, halfRate, growth);
  const growthTable = growth.length
    ? markdownTable(['server', 'introspected', 'rows per table', 'introspection req/s', 'p50', 'p99', 'CPU/req'], growth.map((g) => [g.server, `${g.kind} token`, g.tokens.toLocaleString('en-US'), g.rps.toFixed(0), fmt(g.p50), fmt(g.p99), g.cpuUs ? `${g.cpuUs.toFixed(0)} µs` : '']))
    : '';
  const halfTable = halfRate.length ? markdownTable(['server', 'offered rate', 'achieved req/s', 'p50', 'p99'], halfRate.map((h) => [h.server, `${h.rate}/s`, h.rps.toFixed(0), fmt(h.p50), fmt(h.p99)])) : '';
  const baselineTable = baseline ? markdownTable(['scenario', 'database', 'req/s', 'baseline req/s', 'this / baseline', 'CPU/req', 'baseline CPU/req', 'rounds (req/s)', 'baseline rounds'], baselineRows(rows)) : '';
  const baselineHalfTable = baseline && halfRate.length ? markdownTable(['database', 'p99', 'baseline p99', 'this / baseline'], baselineHalfRateRows(halfRate)) : '';
  const targetTable = markdownTable(['target', 'server', 'against', 'measured', 'met'], targetsMet.map((t) => [t.target, t.server, t.against, t.value, t.met ? 'yes' : 'NO']));

  if (opts.rounds > 1) console.log(`\nMedians of ${opts.rounds} rounds (throughput; half-rate: p99)`);
  console.log('\n' + table);
  if (floorTable) console.log('\nAgainst the floor (HTTP, form, random tokens and the RS256 signature, nothing else)\n\n' + floorTable);
  if (halfTable) console.log('\n/oauth/token (client_credentials) at half the measured max rate\n\n' + halfTable);
  if (baselineTable) console.log(`\nAgainst the baseline (${baseline.dir}${baseline.commit ? ` at ${baseline.commit}` : ''}), measured in the same rounds\n\n` + baselineTable + (baselineHalfTable ? '\n\n' + baselineHalfTable : ''));
  if (growthTable) console.log('\nToken-table growth (refresh-token rows and revocation entries)\n\n' + growthTable);
  console.log('\nTargets\n\n' + targetTable);

  let profiles;
  if (opts.profile && existsSync(profileDir)) {
    profiles = readdirSync(profileDir).filter((f) => f.endsWith('.cpuprofile')).map((f) => join(profileDir, f));
    for (const file of profiles) console.log(`\nProfile ${file}\n\n` + summarizeProfile(file, 25));
  }

  const machine = {
    nproc: os.availableParallelism?.() ?? os.cpus().length,
    cpu: os.cpus()[0]?.model,
    memoryGiB: Math.round(os.totalmem() / 2 ** 30),
    node: process.version,
    platform: `${os.platform()} ${os.release()}`,
    oidcProvider: (await import('oidc-provider/package.json', { with: { type: 'json' } }).catch(() => ({ default: {} }))).default.version,
  };
  const elapsed = (Date.now() - started) / 1000;
  log(`done in ${elapsed.toFixed(0)} s`);
  if (opts.write) {
    const date = new Date().toISOString().slice(0, 10);
    const dir = join(here, 'results');
    mkdirSync(dir, { recursive: true });
    const file = join(dir, `${date}${opts.quick ? '-quick' : ''}.json`);
    writeFileSync(file, JSON.stringify({ date: new Date().toISOString(), machine, commit: gitCommit(root), ...(baseline ? { baseline } : {}), options: { ...opts, pgUrl: undefined }, elapsedSeconds: elapsed, rows, halfRate, growth, targets: targetsMet, ...(opts.rounds > 1 ? { roundRows, roundHalfRate } : {}), tables: { main: table, floor: floorTable, halfRate: halfTable, growth: growthTable, targets: targetTable, ...(baseline ? { baseline: baselineTable, baselineHalfRate: baselineHalfTable } : {}) } }, null, 2) + '\n');
    log(`results written to ${file}`);
  }
}

/** The short commit a checkout is at, or undefined outside git. */
function gitCommit(dir) {
  try {
    return execFileSync('git', ['-C', dir, 'rev-parse', '--short', 'HEAD'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return undefined;
  }
}

async function cleanup() {
  for (const schema of pgSchemas) await pgAdmin(`drop schema if exists "${schema}" cascade`).catch(() => {});
  rmSync(tmpRoot, { recursive: true, force: true });
}

try {
  await main();
} catch (error) {
  console.error(error);
  process.exitCode = 1;
} finally {
  await cleanup();
}
