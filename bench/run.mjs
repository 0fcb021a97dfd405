#!/usr/bin/env node
/**
 * Gatehouse vs node-oidc-provider, side by side, over loopback.
 *
 *   npm run bench                       full run (~10 s per scenario, growth test to 1 M tokens)
 *   npm run bench -- --quick            ~1 s per scenario, growth test at 10 k only (runner smoke test)
 *   options: --duration=S --connections=N --flows=N --no-postgres --no-growth --growth=10000,1000000
 *            --only=gatehouse|oidc-provider|floor  --no-floor  --scenarios=a,b  --profile (Gatehouse children run with --cpu-prof)
 *            --rounds=N (medians over N rounds)  --no-write (do not write bench/results or docs)
 *
 * Every server under test runs in its own child process (bench/servers/*.mjs), and so does the
 * floor (bench/servers/floor.mjs), the baseline both are read against; this process only
 * generates load (autocannon, plus keep-alive node:http loops for the flows autocannon cannot
 * express). Results go to bench/results/<YYYY-MM-DD>.json.
 * Needs `npx tsc -b packages/server` first (imports packages/server/dist).
 */
import { fork } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync, readdirSync } from 'node:fs';
import { createServer } from 'node:net';
import os from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import Database from 'better-sqlite3';
import pg from 'pg';
import { FIXTURE } from './lib/fixture.mjs';
import { Browser, FORM, basic, form, makeAgent, pkcePair, request } from './lib/http.mjs';
import { summarizeProfile } from './lib/profile.mjs';
import { medianOfRounds } from './lib/rounds.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..');

// ---------------------------------------------------------------------------------------------
// Options

const argv = process.argv.slice(2);
const flag = (name) => argv.includes(`--${name}`);
const option = (name, fallback) => {
  const hit = argv.find((a) => a.startsWith(`--${name}=`));
  return hit ? hit.slice(name.length + 3) : fallback;
};
if (flag('help') || argv.includes('-h')) {
  console.log(`Usage: npm run bench -- [options]

  --quick               each scenario for ~1 s, growth at 10 000 tokens only (a smoke run)
  --duration=S          seconds per scenario (default 10)
  --connections=N       concurrent connections (default 10)
  --flows=N             concurrent code flows (default 8)
  --only=gatehouse|oidc-provider|floor
  --no-floor            skip the floor (bench/servers/floor.mjs: HTTP, form, random tokens and
                        the RS256 signature, nothing else), the baseline the servers are read against
  --scenarios=a,b       client_credentials,introspection,validate,refresh_rotation,refresh_rotation_api,userinfo,discovery,code_flow
  --growth=10000,1000000  stored-token counts for the growth test; --no-growth skips it
  --no-postgres         SQLite only
  --no-half-rate        skip the half-rate latency run after client_credentials
  --rounds=N            run every server N times over, round after round, and report the
                        measurement of median throughput per scenario and server (default 1)
  --profile             write --cpu-prof profiles under bench/results/profiles
  --no-write            do not write bench/results/<date>.json`);
  process.exit(0);
}
const quick = flag('quick');
const opts = {
  quick,
  duration: Number(option('duration', quick ? 1 : 10)),
  connections: Number(option('connections', 10)),
  flows: Number(option('flows', 8)),
  postgres: !flag('no-postgres'),
  floor: !flag('no-floor'),
  halfRate: !flag('no-half-rate'),
  growth: flag('no-growth') ? [] : option('growth', quick ? '10000' : '10000,1000000').split(',').map(Number),
  only: option('only', ''),
  scenarios: option('scenarios', '') ? option('scenarios', '').split(',') : undefined,
  rounds: Math.max(1, Number(option('rounds', 1))),
  profile: flag('profile'),
  write: !flag('no-write'),
  pgUrl: process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test',
};
const started = Date.now();
const log = (...parts) => console.error(`[${((Date.now() - started) / 1000).toFixed(1).padStart(6)}s]`, ...parts);

if (!existsSync(join(root, 'packages/server/dist/index.js'))) {
  console.error('packages/server/dist is missing: run `npx tsc -b packages/server` first');
  process.exit(1);
}

// ---------------------------------------------------------------------------------------------
// Servers under test

const GATEHOUSE_PATHS = { authorize: '/oauth/authorize', token: '/oauth/token', introspect: '/oauth/introspect', userinfo: '/oauth/userinfo', validate: '/oauth/validate', discovery: '/.well-known/openid-configuration' };
const PATHS = {
  gatehouse: GATEHOUSE_PATHS,
  // The floor answers on Gatehouse's paths.
  floor: GATEHOUSE_PATHS,
  'oidc-provider': { authorize: '/auth', token: '/token', introspect: '/token/introspection', userinfo: '/me', validate: undefined, discovery: '/.well-known/openid-configuration' },
};

function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

async function pgReachable(url) {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2000 });
  try {
    await client.connect();
    await client.query('select 1');
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => {});
  }
}

async function pgAdmin(statement) {
  const client = new pg.Client({ connectionString: opts.pgUrl, connectionTimeoutMillis: 5000 });
  await client.connect();
  try {
    return await client.query(statement);
  } finally {
    await client.end();
  }
}

const tmpRoot = mkdtempSync(join(os.tmpdir(), 'gatehouse-bench-'));
const pgSchemas = new Set();
const profileDir = join(root, 'bench', 'results', 'profiles');

/** A fresh database for one server: { url (Gatehouse form), path/schema, cleanup }. */
async function freshDatabase(db, label) {
  if (db === 'sqlite') {
    const path = join(tmpRoot, `${label}-${Math.random().toString(36).slice(2, 8)}.db`);
    return { db, path, gatehouseUrl: `sqlite:${path}` };
  }
  const schema = `bench_${label.replace(/[^a-z0-9]/g, '_')}_${Math.random().toString(36).slice(2, 8)}`;
  await pgAdmin(`create schema "${schema}"`);
  pgSchemas.add(schema);
  const url = new URL(opts.pgUrl);
  url.searchParams.set('schema', schema);
  return { db, schema, gatehouseUrl: url.toString() };
}

async function startServer(target, database, { profile = false } = {}) {
  const port = await freePort();
  const script = join(here, 'servers', `${target.kind}.mjs`);
  const env = { ...process.env, BENCH_PORT: String(port) };
  if (target.kind === 'gatehouse') env.BENCH_DB = database.gatehouseUrl;
  else if (target.kind === 'oidc-provider') {
    env.BENCH_ADAPTER = target.db;
    if (target.db === 'sqlite') env.BENCH_DB = database.path;
    if (target.db === 'postgres') {
      env.BENCH_DB = opts.pgUrl;
      env.BENCH_PG_SCHEMA = database.schema;
    }
  }
  const execArgv = profile ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`, `--cpu-prof-name=${target.id}-${Date.now()}.cpuprofile`] : [];
  if (profile) mkdirSync(profileDir, { recursive: true });
  const child = fork(script, [], { env, execArgv, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const fixtures = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${target.id} did not start in 60 s`)), 60_000);
    child.once('message', (message) => {
      clearTimeout(timer);
      resolve(message.fixtures);
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${target.id} exited with ${code} before it was ready`));
    });
  });
  const origin = `http://127.0.0.1:${port}`;
  return {
    origin,
    port,
    fixtures,
    paths: PATHS[target.kind],
    pid: child.pid,
    async stop() {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.send({ type: 'stop' });
      const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Protocol helpers (custom drivers)

function authorizeUrl(server, challenge, scope = FIXTURE.flowScope) {
  const query = new URLSearchParams({
    response_type: 'code',
    client_id: server.fixtures.web.clientId,
    redirect_uri: FIXTURE.redirectUri,
    scope,
    state: 'bench',
    code_challenge: challenge,
    code_challenge_method: 'S256',
  });
  return `${server.origin}${server.paths.authorize}?${query}`;
}

const codeFrom = (location) => {
  const url = new URL(location);
  const code = url.searchParams.get('code');
  if (!code) throw new Error(`no code in ${location}`);
  return code;
};

/** Walks a fresh browser through sign-in and consent (Gatehouse forms; oidc-provider's programmatic interaction). */
async function signIn(server, browser) {
  const { verifier, challenge } = pkcePair();
  let page = await browser.navigate(authorizeUrl(server, challenge));
  if (!page.location && page.body.includes('name="password"')) page = await browser.submit(page, '/login', { username: FIXTURE.username, password: FIXTURE.password });
  if (!page.location && page.body.includes('/consent')) page = await browser.submit(page, '/consent', { decision: 'allow' });
  if (!page.location) throw new Error(`sign-in did not end in a redirect (${page.status} ${page.url}): ${page.body.slice(0, 500)}`);
  return { code: codeFrom(page.location), verifier };
}

async function exchangeCode(server, agent, code, verifier) {
  const { web } = server.fixtures;
  const res = await request(server.origin, {
    method: 'POST',
    path: server.paths.token,
    agent,
    headers: { 'content-type': FORM, authorization: basic(web.clientId, web.clientSecret) },
    body: form({ grant_type: 'authorization_code', code, code_verifier: verifier, redirect_uri: FIXTURE.redirectUri }),
  });
  if (res.status !== 200) throw new Error(`code exchange failed ${res.status}: ${res.body}`);
  return JSON.parse(res.body);
}

/** One full flow on a signed-in browser: authorize (existing session and consent) → token with PKCE → userinfo. */
async function oneFlow(server, browser) {
  const { verifier, challenge } = pkcePair();
  const res = await browser.request(authorizeUrl(server, challenge));
  if (!res.location || !res.location.startsWith(FIXTURE.redirectUri)) throw new Error(`authorize did not redirect back (${res.status} ${res.location ?? res.body.slice(0, 200)})`);
  const tokens = await exchangeCode(server, browser.agent, codeFrom(res.location), verifier);
  const info = await request(server.origin, { path: server.paths.userinfo, agent: browser.agent, headers: { authorization: `Bearer ${tokens.access_token}` } });
  if (info.status !== 200) throw new Error(`userinfo ${info.status}: ${info.body}`);
  return tokens;
}

// ---------------------------------------------------------------------------------------------
// Measurement

/**
 * CPU seconds (user + system, all threads) the process has used so far, from /proc; undefined
 * where there is no /proc. Per-request CPU does not depend on how fast the load generator is.
 */
function cpuSeconds(pid) {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS;
  } catch {
    return undefined;
  }
}
const CLOCK_TICKS = 100;

/** Runs `measure` and adds the server's CPU microseconds per completed request. */
async function withCpu(pid, measure) {
  const before = pid ? cpuSeconds(pid) : undefined;
  const driverBefore = process.cpuUsage();
  const result = await measure();
  const after = pid ? cpuSeconds(pid) : undefined;
  if (before !== undefined && after !== undefined && result.total > 0) result.cpuUs = ((after - before) * 1e6) / result.total;
  if (result.total > 0) result.driverCpuUs = driverCpuSince(driverBefore) / result.total;
  return result;
}

const percentile = (sorted, p) => (sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] : NaN);

async function cannon(options, { warmup = !opts.quick, pid } = {}) {
  if (warmup) await autocannon({ connections: opts.connections, ...options, duration: Math.min(2, Math.max(0.5, opts.duration / 5)) });
  return withCpu(pid, () => autocannonRun(options));
}

async function autocannonRun(options) {
  const result = await autocannon({ connections: opts.connections, duration: opts.duration, ...options });
  const errors = result.errors + result.timeouts + result.non2xx;
  return {
    rps: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    total: result.requests.total,
    errors,
    ...(result.non2xx ? { non2xx: result.non2xx } : {}),
  };
}

/**
 * Runs N concurrent loops of `step` for the duration; each loop is sequential. The states (e.g.
 * signed-in browsers) are made first, so set-up work is neither timed nor counted as server CPU.
 */
async function loops(n, makeState, step, pid) {
  const latencies = [];
  let errors = 0;
  let firstError;
  const states = await Promise.all(Array.from({ length: n }, (_, i) => makeState(i)));
  const cpuBefore = pid ? cpuSeconds(pid) : undefined;
  const driverBefore = process.cpuUsage();
  const deadline = performance.now() + opts.duration * 1000;
  const t0 = performance.now();
  await Promise.all(
    states.map(async (state) => {
      while (performance.now() < deadline) {
        const start = performance.now();
        try {
          await step(state);
          latencies.push(performance.now() - start);
        } catch (error) {
          errors++;
          firstError ??= error;
          if (errors > 50) break;
        }
      }
    }),
  );
  const elapsed = (performance.now() - t0) / 1000;
  const cpuAfter = pid ? cpuSeconds(pid) : undefined;
  latencies.sort((a, b) => a - b);
  if (firstError) log(`  ${errors} errors, first: ${firstError.message}`);
  const result = { rps: latencies.length / elapsed, p50: percentile(latencies, 50), p99: percentile(latencies, 99), total: latencies.length, errors };
  if (cpuBefore !== undefined && cpuAfter !== undefined && result.total > 0) result.cpuUs = ((cpuAfter - cpuBefore) * 1e6) / result.total;
  if (result.total > 0) result.driverCpuUs = driverCpuSince(driverBefore) / result.total;
  return result;
}

/** CPU microseconds (user + system) this process, the load generator, has used since `before`. */
function driverCpuSince(before) {
  const used = process.cpuUsage(before);
  return used.user + used.system;
}

/**
 * Open-loop load at a fixed rate: requests leave on a schedule (every 1/rate s) whether or not
 * earlier ones have returned, and latency counts from the scheduled time, so a stall is not
 * hidden (no coordinated omission). autocannon's overallRate sends each second's quota in a
 * burst at the start of the second, which measures max-rate latency, not latency at the rate.
 */
async function paced(rate, origin, init) {
  const agent = makeAgent(opts.connections * 4);
  // Steady state only: open the connections and run at the rate untimed first, so the first
  // second's TCP connects and JIT warm-up are not counted as request latency.
  await Promise.all(Array.from({ length: opts.connections * 4 }, () => request(origin, { ...init, agent })));
  if (!opts.quick) await pacedRun(rate, origin, init, agent, Math.min(2, Math.max(0.5, opts.duration / 5)));
  const result = await pacedRun(rate, origin, init, agent, opts.duration);
  agent.destroy();
  return result;
}

async function pacedRun(rate, origin, init, agent, seconds) {
  const latencies = [];
  let errors = 0;
  const pending = new Set();
  const interval = 1000 / rate;
  const start = performance.now();
  const end = start + seconds * 1000;
  let sent = 0;
  await new Promise((resolve) => {
    const tick = () => {
      const now = performance.now();
      while (start + sent * interval <= now && start + sent * interval < end) {
        const due = start + sent * interval;
        sent++;
        const p = request(origin, { ...init, agent }).then(
          (res) => (res.status === 200 ? latencies.push(performance.now() - due) : errors++),
          () => errors++,
        );
        pending.add(p);
        p.finally(() => pending.delete(p));
      }
      if (now >= end) resolve();
      else setTimeout(tick, 1);
    };
    tick();
  });
  await Promise.all(pending);
  latencies.sort((a, b) => a - b);
  return { rps: latencies.length / ((performance.now() - start) / 1000), p50: percentile(latencies, 50), p99: percentile(latencies, 99), total: latencies.length, errors };
}

// ---------------------------------------------------------------------------------------------
// Scenarios

const SCENARIOS = ['client_credentials', 'introspection', 'validate', 'refresh_rotation', 'refresh_rotation_api', 'userinfo', 'discovery', 'code_flow'];
const wanted = (name) => !opts.scenarios || opts.scenarios.includes(name);

async function benchTarget(target, rows, halfRate) {
  const database = target.db === 'memory' || target.db === 'none' ? undefined : await freshDatabase(target.db, target.id);
  const server = await startServer(target, database, { profile: opts.profile && target.kind === 'gatehouse' });
  log(`${target.label}: up on ${server.origin} (pid ${server.pid})`);
  try {
    const { web, svc } = server.fixtures;
    const agent = makeAgent();
    const browser = new Browser(server.origin, agent);
    const first = await signIn(server, browser);
    const userTokens = await exchangeCode(server, agent, first.code, first.verifier);
    const record = (scenario, result, note) => {
      rows.push({ scenario, server: target.label, target: target.id, kind: target.kind, db: target.db, ...result, ...(note ? { note } : {}) });
      log(`  ${scenario.padEnd(22)} ${result.rps.toFixed(0).padStart(7)} /s  p50 ${fmt(result.p50)}  p99 ${fmt(result.p99)}${result.cpuUs ? `  ${result.cpuUs.toFixed(0)} µs CPU/req` : ''}${result.driverCpuUs ? ` (load generator ${result.driverCpuUs.toFixed(0)} µs)` : ''}${result.errors ? `  errors ${result.errors}` : ''}`);
    };
    const url = (path) => server.origin + path;

    if (wanted('client_credentials')) {
      const options = {
        url: url(server.paths.token),
        method: 'POST',
        headers: { 'content-type': FORM, authorization: basic(svc.clientId, svc.clientSecret) },
        body: form({ grant_type: 'client_credentials', scope: FIXTURE.apiScope }),
      };
      const max = await cannon(options, { pid: server.pid });
      record('client_credentials', max);
      if (opts.halfRate && target.kind === 'gatehouse' && max.rps > 0) {
        const rate = Math.max(1, Math.floor(max.rps / 2));
        const half = await paced(rate, server.origin, { method: 'POST', path: options.url.slice(server.origin.length), headers: options.headers, body: options.body });
        halfRate.push({ server: target.label, target: target.id, rate, ...half });
        log(`  client_credentials @ ${rate}/s (half max): p50 ${fmt(half.p50)}  p99 ${fmt(half.p99)}`);
      }
    }

    if (wanted('introspection')) {
      record(
        'introspection',
        await cannon({
          url: url(server.paths.introspect),
          method: 'POST',
          headers: { 'content-type': FORM, authorization: basic(web.clientId, web.clientSecret) },
          body: form({ token: userTokens.access_token, token_type_hint: 'access_token' }),
        }, { pid: server.pid }),
      );
    }

    if (wanted('validate') && server.paths.validate) {
      record('validate', await cannon({ url: url(server.paths.validate), headers: { authorization: `Bearer ${userTokens.access_token}` } }, { pid: server.pid }));
    }

    // refresh_rotation asks for `openid`, so each refresh also signs an ID token (RS256);
    // refresh_rotation_api is the same chain for an app that asked for no `openid` (an API
    // client, an agent): rotation without the signature.
    for (const [scenario, scope, idToken] of [
      ['refresh_rotation', FIXTURE.flowScope, true],
      ['refresh_rotation_api', FIXTURE.apiFlowScope, false],
    ]) {
      if (!wanted(scenario)) continue;
      // One refresh-token chain per connection, each from its own code redemption; every
      // request presents the token the previous response returned (no replays, checked).
      const chains = [];
      for (let i = 0; i < opts.connections; i++) {
        const { verifier, challenge } = pkcePair();
        const res = await browser.request(authorizeUrl(server, challenge, scope));
        chains.push((await exchangeCode(server, agent, codeFrom(res.location), verifier)).refresh_token);
      }
      if (chains.some((t) => !t)) throw new Error(`${target.label} issued no refresh token`);
      // autocannon clears a connection's context after every pass over `requests`, so it cannot
      // carry a token chain: a keep-alive loop per chain does, with the same client for both servers.
      let replays = 0;
      const used = new Set();
      const refreshAgent = makeAgent(opts.connections);
      const headers = { 'content-type': FORM, authorization: basic(web.clientId, web.clientSecret) };
      const result = await loops(
        opts.connections,
        async (i) => ({ token: chains[i] }),
        async (chain) => {
          if (used.has(chain.token)) replays++;
          used.add(chain.token);
          const res = await request(server.origin, { method: 'POST', path: server.paths.token, agent: refreshAgent, headers, body: form({ grant_type: 'refresh_token', refresh_token: chain.token }) });
          if (res.status !== 200) throw new Error(`refresh ${res.status}: ${res.body.slice(0, 200)}`);
          const body = JSON.parse(res.body);
          const next = body.refresh_token;
          if (!next || next === chain.token) throw new Error('refresh did not rotate');
          // Both servers must do the same work: a new access token, and a signed ID token exactly when `openid` was asked for.
          if (!body.access_token) throw new Error('refresh response lacks access_token');
          if (Boolean(body.id_token) !== idToken) throw new Error(`refresh response ${idToken ? 'lacks' : 'has'} an id_token`);
          chain.token = next;
        },
        server.pid,
      );
      refreshAgent.destroy();
      record(scenario, { ...result, replays }, `${opts.connections} sequential chains, custom node:http loop${replays ? `; ${replays} replays` : ''}`);
    }

    if (wanted('userinfo')) {
      record('userinfo', await cannon({ url: url(server.paths.userinfo), headers: { authorization: `Bearer ${userTokens.access_token}` } }, { pid: server.pid }));
    }

    if (wanted('discovery')) {
      record('discovery', await cannon({ url: url(server.paths.discovery) }, { pid: server.pid }));
    }

    if (wanted('code_flow')) {
      // Each of N concurrent loops is one signed-in browser with consent already given.
      const result = await loops(
        opts.flows,
        async () => {
          const b = new Browser(server.origin, makeAgent(4));
          const { code, verifier } = await signIn(server, b);
          await exchangeCode(server, b.agent, code, verifier);
          return b;
        },
        (b) => oneFlow(server, b),
        server.pid,
      );
      record('code_flow', result, `flows/s, ${opts.flows} concurrent flows`);
    }
    agent.destroy();
  } finally {
    await server.stop();
    if (database?.path) for (const suffix of ['', '-wal', '-shm']) rmSync(database.path + suffix, { force: true });
  }
}

// ---------------------------------------------------------------------------------------------
// Token-table growth (Gatehouse introspection at 10 k and 1 M stored rows)
//
// Sealed access tokens are not stored: checking one probes the revocation list, checking a refresh
// token reads the tokens table. Both tables are filled to each size (refresh-token rows and
// revoked-token entries) and both kinds of token are introspected.

const TOKEN_COLUMNS = 'token_hash, kind, jti, client_id, user_id, grant_id, family_id, scopes, workspace_ids, resource, auth_time, session_id, created_at, expires_at, revoked_at, rotated_at, successor_box, family_expires_at';

async function countRows(database, table) {
  if (database.db === 'sqlite') {
    const db = new Database(database.path, { readonly: true });
    try {
      return db.prepare(`select count(*) as n from ${table}`).get().n;
    } finally {
      db.close();
    }
  }
  return Number((await pgAdmin(`select count(*) as n from "${database.schema}".${table}`)).rows[0].n);
}

/** Adds `count` live refresh-token rows and `count` revoked-token entries, straight with SQL. */
async function fillRows(database, clientId, count) {
  const now = Math.floor(Date.now() / 1000);
  const batch = 250_000;
  if (database.db === 'sqlite') {
    const db = new Database(database.path);
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    const tokens = db.prepare(`insert into tokens (${TOKEN_COLUMNS})
      with recursive c(x) as (select 1 union all select x + 1 from c where x < ?)
      select lower(hex(randomblob(32))), 'refresh', lower(hex(randomblob(16))), ?, null, null, lower(hex(randomblob(16))), '["api:read"]', '[]', null, null, null, ?, ?, null, null, null, ? from c`);
    const revocations = db.prepare(`insert into revocations (subject, revoked_at, expires_at)
      with recursive c(x) as (select 1 union all select x + 1 from c where x < ?)
      select 't:' || lower(hex(randomblob(16))), ?, ? from c`);
    try {
      for (let done = 0; done < count; done += batch) {
        const n = Math.min(batch, count - done);
        db.transaction(() => {
          tokens.run(n, clientId, now, now + 86400, now + 86400);
          revocations.run(n, now, now + 86400);
        })();
      }
      db.pragma('wal_checkpoint(TRUNCATE)');
      db.exec('analyze');
    } finally {
      db.close();
    }
    return;
  }
  const client = new pg.Client({ connectionString: opts.pgUrl });
  await client.connect();
  try {
    for (let done = 0; done < count; done += batch) {
      const n = Math.min(batch, count - done);
      await client.query(
        `insert into "${database.schema}".tokens (${TOKEN_COLUMNS})
         select md5(random()::text || g::text) || md5(g::text || random()::text), 'refresh', md5('j' || g::text || random()::text), $1, null, null, md5('f' || random()::text), '["api:read"]', '[]', null, null, null, $2, $3, null, null, null, $3
         from generate_series(1, $4::int) g`,
        [clientId, now, now + 86400, n],
      );
      await client.query(
        `insert into "${database.schema}".revocations (subject, revoked_at, expires_at)
         select 't:' || md5(random()::text || g::text), $1, $2 from generate_series(1, $3::int) g`,
        [now, now + 86400, n],
      );
    }
    await client.query(`analyze "${database.schema}".tokens`);
    await client.query(`analyze "${database.schema}".revocations`);
  } finally {
    await client.end();
  }
}

async function growthTest(db, label, growth) {
  // One server per size, all up at once, so that every round measures each size minutes apart
  // at most: on a noisy machine, sizes measured one after the other would compare two moments.
  const sizes = [];
  try {
    for (const size of opts.growth) {
      const target = { id: `gatehouse-${db}-growth-${size}`, kind: 'gatehouse', db, label };
      const database = await freshDatabase(db, target.id);
      const entry = { database, server: await startServer(target, database) };
      sizes.push(entry);
      const { server } = entry;
      const agent = makeAgent();
      const browser = new Browser(server.origin, agent);
      const { code, verifier } = await signIn(server, browser);
      entry.tokens = await exchangeCode(server, agent, code, verifier);
      agent.destroy();
      const t0 = Date.now();
      await fillRows(database, server.fixtures.svc.clientId, size);
      entry.filled = Math.min(await countRows(database, 'tokens'), await countRows(database, 'revocations'));
      log(`${label}: ${entry.filled} refresh tokens and revocation entries stored (fill ${((Date.now() - t0) / 1000).toFixed(1)} s)`);
    }
    const measured = [];
    for (let round = 1; round <= opts.rounds; round++) {
      for (const { server, tokens, filled } of sizes) {
        const { web } = server.fixtures;
        for (const [kind, token] of [['access', tokens.access_token], ['refresh', tokens.refresh_token]]) {
          const options = {
            url: server.origin + server.paths.introspect,
            method: 'POST',
            headers: { 'content-type': FORM, authorization: basic(web.clientId, web.clientSecret) },
            body: form({ token }),
          };
          // A short warm-up so that no size pays for cold caches alone.
          if (!opts.quick) await cannon({ ...options, duration: 1 }, { warmup: false });
          const result = await cannon(options, { warmup: false, pid: server.pid });
          measured.push({ server: label, db, kind, tokens: filled, ...result, ...(opts.rounds > 1 ? { round } : {}) });
          log(`  introspection of the ${kind} token @ ${filled} rows: ${result.rps.toFixed(0)} /s  p50 ${fmt(result.p50)}  p99 ${fmt(result.p99)}`);
        }
      }
    }
    growth.push(...medianOfRounds(measured, { key: (row) => `${row.kind}\u0000${row.tokens}` }));
  } finally {
    for (const { server, database } of sizes) {
      await server.stop();
      if (database.path) for (const suffix of ['', '-wal', '-shm']) rmSync(database.path + suffix, { force: true });
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Report

const fmt = (ms) => (Number.isFinite(ms) ? `${ms < 10 ? ms.toFixed(2) : ms.toFixed(1)} ms` : 'n/a');
const ratio = (a, b) => (a && b ? a / b : undefined);
const fmtRatio = (r) => (r === undefined ? '' : `${r.toFixed(2)}×`);

/** The oidc-provider row a Gatehouse row is compared with: validate ↔ introspection. */
function counterpart(rows, row, db) {
  const scenario = row.scenario === 'validate' ? 'introspection' : row.scenario;
  return rows.find((r) => r.kind === 'oidc-provider' && r.db === db && r.scenario === scenario);
}

function buildTable(rows) {
  const header = ['scenario', 'server', 'req/s', 'p50', 'p99', 'CPU/req', 'GH/OP (memory)', 'GH/OP (same DB)', 'CPU OP/GH (memory)', 'CPU OP/GH (same DB)'];
  const lines = rows.map((row) => {
    const gatehouse = row.kind === 'gatehouse';
    const memory = gatehouse ? counterpart(rows, row, 'memory') : undefined;
    const sameDb = gatehouse ? counterpart(rows, row, row.db) : undefined;
    const mem = ratio(row.rps, memory?.rps);
    const same = ratio(row.rps, sameDb?.rps);
    row.ratioVsMemory = mem;
    row.ratioVsSameDb = same;
    // CPU per request, theirs over ours: how many times less server work Gatehouse does per request.
    row.cpuRatioVsMemory = ratio(memory?.cpuUs, row.cpuUs);
    row.cpuRatioVsSameDb = ratio(sameDb?.cpuUs, row.cpuUs);
    const scenario = row.scenario === 'code_flow' ? 'code_flow (flows/s)' : row.scenario;
    const rps = row.rps.toFixed(0) + (row.errors ? ` (${row.errors} err)` : '');
    const cpu = row.cpuUs ? `${row.cpuUs.toFixed(0)} µs` : '';
    return [scenario, row.server, rps, fmt(row.p50), fmt(row.p99), cpu, fmtRatio(mem), fmtRatio(same), fmtRatio(row.cpuRatioVsMemory), fmtRatio(row.cpuRatioVsSameDb)];
  });
  // oidc-provider has no /oauth/validate: say so in the table.
  if (rows.some((r) => r.scenario === 'validate') && rows.some((r) => r.kind === 'oidc-provider')) {
    const at = lines.findIndex((l) => l[0] === 'validate') ;
    if (at >= 0) lines.splice(at, 0, ['validate', 'oidc-provider (any)', 'n/a', '', '', '', '', '', '', '']);
  }
  return markdownTable(header, lines);
}

const FLOOR = { id: 'floor', kind: 'floor', db: 'none', label: 'Floor (Hono, no storage)' };

/**
 * Every server against the floor measured in the same run: the share of the stack's limit it
 * reaches, the CPU it spends above it, and for oidc-provider the best Gatehouse / oidc-provider
 * ratio any server on this stack could reach (the floor's rate over oidc-provider's).
 */
function floorRows(rows) {
  const lines = [];
  for (const row of rows) {
    if (row.kind === 'floor') continue;
    const floor = rows.find((r) => r.kind === 'floor' && r.scenario === row.scenario);
    if (!floor?.rps) continue;
    row.shareOfFloor = row.rps / floor.rps;
    row.cpuAboveFloorUs = row.cpuUs && floor.cpuUs ? row.cpuUs - floor.cpuUs : undefined;
    const ceiling = row.kind === 'oidc-provider' ? ratio(floor.rps, row.rps) : undefined;
    if (ceiling !== undefined) row.bestPossibleRatio = ceiling;
    lines.push([row.scenario, row.server, row.rps.toFixed(0), `${(row.shareOfFloor * 100).toFixed(0)} %`, row.cpuAboveFloorUs === undefined ? '' : `${row.cpuAboveFloorUs.toFixed(0)} µs`, fmtRatio(ceiling)]);
  }
  return lines;
}

function markdownTable(header, lines) {
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => String(l[i]).length)));
  const fmtLine = (cells) => '| ' + cells.map((c, i) => String(c).padEnd(widths[i])).join(' | ') + ' |';
  return [fmtLine(header), '| ' + widths.map((w) => '-'.repeat(w)).join(' | ') + ' |', ...lines.map(fmtLine)].join('\n');
}

const TARGETS = [
  { scenario: 'client_credentials', min: 3 },
  { scenario: 'introspection', min: 3 },
  { scenario: 'validate', min: 3, note: 'vs oidc-provider introspection' },
  { scenario: 'code_flow', min: 2 },
  { scenario: 'refresh_rotation', min: 2 },
  { scenario: 'refresh_rotation_api', min: 2 },
];

function evaluateTargets(rows, halfRate, growth) {
  const out = [];
  for (const t of TARGETS) {
    for (const row of rows.filter((r) => r.kind === 'gatehouse' && r.scenario === t.scenario)) {
      for (const [against, value] of [['memory', row.ratioVsMemory], [`${row.db} (same DB)`, row.ratioVsSameDb]]) {
        if (value === undefined) continue;
        out.push({ target: `${t.scenario} ≥ ${t.min}×${t.note ? ` (${t.note})` : ''}`, server: row.server, against: `oidc-provider ${against}`, value: `${value.toFixed(2)}×`, met: value >= t.min });
      }
    }
  }
  for (const h of halfRate) out.push({ target: 'p99 /oauth/token < 20 ms at half max rate', server: h.server, against: `${h.rate}/s`, value: fmt(h.p99), met: h.p99 < 20 });
  for (const db of ['sqlite', 'postgres']) {
    for (const kind of ['access', 'refresh']) {
      const sizes = growth.filter((g) => g.db === db && g.kind === kind).sort((a, b) => a.tokens - b.tokens);
      if (sizes.length < 2) continue;
      const small = sizes[0];
      const big = sizes[sizes.length - 1];
      const change = big.rps / small.rps - 1;
      out.push({ target: `introspection (${kind} token) at 1 M rows within 20 % of 10 k`, server: big.server, against: `${small.tokens} → ${big.tokens} rows`, value: `${(change * 100).toFixed(1)} %`, met: change >= -0.2 });
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Main

async function main() {
  const postgres = opts.postgres && (await pgReachable(opts.pgUrl));
  if (opts.postgres && !postgres) log(`Postgres at ${opts.pgUrl} is unreachable: SQLite only`);
  const targets = [
    { id: 'gatehouse-sqlite', kind: 'gatehouse', db: 'sqlite', label: 'Gatehouse (SQLite)' },
    ...(postgres ? [{ id: 'gatehouse-postgres', kind: 'gatehouse', db: 'postgres', label: 'Gatehouse (Postgres)' }] : []),
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
    for (const target of targets) {
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
  const targetTable = markdownTable(['target', 'server', 'against', 'measured', 'met'], targetsMet.map((t) => [t.target, t.server, t.against, t.value, t.met ? 'yes' : 'NO']));

  if (opts.rounds > 1) console.log(`\nMedians of ${opts.rounds} rounds (throughput; half-rate: p99)`);
  console.log('\n' + table);
  if (floorTable) console.log('\nAgainst the floor (HTTP, form, random tokens and the RS256 signature, nothing else)\n\n' + floorTable);
  if (halfTable) console.log('\n/oauth/token (client_credentials) at half the measured max rate\n\n' + halfTable);
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
    writeFileSync(file, JSON.stringify({ date: new Date().toISOString(), machine, options: { ...opts, pgUrl: undefined }, elapsedSeconds: elapsed, rows, halfRate, growth, targets: targetsMet, ...(opts.rounds > 1 ? { roundRows, roundHalfRate } : {}), tables: { main: table, floor: floorTable, halfRate: halfTable, growth: growthTable, targets: targetTable } }, null, 2) + '\n');
    log(`results written to ${file}`);
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
