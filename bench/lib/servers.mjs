/** The servers under test, each in its own child process (bench/servers/*.mjs), and their fresh databases. */
import { fork } from 'node:child_process';
import { mkdirSync, mkdtempSync } from 'node:fs';
import { createServer } from 'node:net';
import os from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { here, root, opts } from './options.mjs';

export const GATEHOUSE_PATHS = { authorize: '/oauth/authorize', token: '/oauth/token', introspect: '/oauth/introspect', userinfo: '/oauth/userinfo', validate: '/oauth/validate', discovery: '/.well-known/openid-configuration' };
export const PATHS = {
  gatehouse: GATEHOUSE_PATHS,
  // The floor answers on Gatehouse's paths.
  floor: GATEHOUSE_PATHS,
  'oidc-provider': { authorize: '/auth', token: '/token', introspect: '/token/introspection', userinfo: '/me', validate: undefined, discovery: '/.well-known/openid-configuration' },
};

export function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

export async function pgReachable(url) {
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

export async function pgAdmin(statement) {
  const client = new pg.Client({ connectionString: opts.pgUrl, connectionTimeoutMillis: 5000 });
  await client.connect();
  try {
    return await client.query(statement);
  } finally {
    await client.end();
  }
}

export const tmpRoot = mkdtempSync(join(os.tmpdir(), 'gatehouse-bench-'));
export const pgSchemas = new Set();
export const profileDir = join(root, 'bench', 'results', 'profiles');

/** A fresh database for one server: { url (Gatehouse form), path/schema, cleanup }. */
export async function freshDatabase(db, label) {
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

export async function startServer(target, database, { profile = false } = {}) {
  const port = await freePort();
  // A baseline target runs its own checkout's server script, which imports that checkout's build.
  const script = target.baselineDir ? join(target.baselineDir, 'bench', 'servers', 'gatehouse.mjs') : join(here, 'servers', `${target.kind}.mjs`);
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
