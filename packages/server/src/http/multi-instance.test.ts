import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultCoreConfig } from '../core/config.js';
import { registerClient } from '../core/manage/clients.js';
import { TestAgent } from '../testing/agent.js';
import { testDatabases, type TestDatabase } from '../testing/databases.js';
import { clientAuth, signInForTokens } from '../testing/flows.js';
import type { TestServer } from '../testing/harness.js';
import { createUser } from '../core/manage/users.js';

const distIndex = fileURLToPath(new URL('../../dist/index.js', import.meta.url));
const postgres = testDatabases().find((factory) => factory.name === 'postgres')!;

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer().listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
    probe.on('error', reject);
  });
}

/** A separate Node process serving Gatehouse from the compiled build. */
function startProcess(databaseUrl: string, issuer: string, port: number): Promise<ChildProcess> {
  const script = `
    const { createGatehouse, defaultCoreConfig } = await import(${JSON.stringify(distIndex)});
    const { serve } = await import('@hono/node-server');
    const gatehouse = await createGatehouse({ databaseUrl: ${JSON.stringify(databaseUrl)}, core: defaultCoreConfig(${JSON.stringify(issuer)}) });
    serve({ fetch: gatehouse.app.fetch, port: ${port}, hostname: '127.0.0.1' }, () => console.log('ready'));
  `;
  const child = spawn(process.execPath, ['--input-type=module', '-e', script], { stdio: ['ignore', 'pipe', 'pipe'] });
  return new Promise((resolve, reject) => {
    let stderr = '';
    child.stderr!.on('data', (chunk) => (stderr += chunk));
    child.stdout!.on('data', (chunk) => String(chunk).includes('ready') && resolve(child));
    child.on('exit', (code) => reject(new Error(`server process exited with ${code}: ${stderr}`)));
  });
}

/** Two server processes on one Postgres, as behind a load balancer: same issuer, shared keys and tokens. */
describe('two server processes on one Postgres', () => {
  let database: TestDatabase;
  let processes: ChildProcess[] = [];
  let urls: string[] = [];
  let issuer: string;

  beforeAll(async () => {
    database = await postgres.open();
    const ports = [await freePort(), await freePort()];
    issuer = `http://localhost:${ports[0]}`;
    // Both start at once: migrations and key creation must not trip over each other.
    processes = await Promise.all(ports.map((port) => startProcess(database.url, issuer, port)));
    urls = ports.map((port) => `http://127.0.0.1:${port}`);
  }, 60_000);

  afterAll(async () => {
    for (const child of processes) child.kill();
    await database?.close();
  });

  it('refreshes one token through both processes at once: one successor, no false reuse alarm', async () => {
    const core = defaultCoreConfig(issuer);
    const deps = { stores: database.stores, config: core, now: () => Math.floor(Date.now() / 1000) };
    const { client, clientSecret } = await registerClient(deps, {
      client_name: 'Two instances',
      redirect_uris: ['http://127.0.0.1:9999/callback'],
      scope: 'openid profile',
    });
    const app = { clientId: client.id, clientSecret };
    const user = await createUser(deps, { username: `multi${process.pid}`, password: 'correct horse battery' });
    // Sign in through the first process.
    const asServer = { url: urls[0]!, user: async () => ({ ...user, password: 'correct horse battery' }) } as unknown as TestServer;
    const tokens = await signInForTokens(asServer, app, { agent: new TestAgent(urls[0]!), scope: 'openid profile' });

    const refreshThrough = (url: string) =>
      fetch(`${url}/oauth/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ grant_type: 'refresh_token', refresh_token: tokens.refresh_token!, ...clientAuth(app) }),
      }).then(async (response) => ({ status: response.status, body: (await response.json()) as Record<string, string> }));

    const results = await Promise.all(Array.from({ length: 40 }, (_, index) => refreshThrough(urls[index % 2]!)));
    expect(results.map((result) => result.status)).toEqual(Array(40).fill(200));
    const successors = new Set(results.map((result) => result.body.refresh_token));
    expect(successors.size).toBe(1);
    // The family is alive: the successor works on either process.
    const next = await fetch(`${urls[1]}/oauth/userinfo`, { headers: { authorization: `Bearer ${results[0]!.body.access_token}` } });
    expect(next.status).toBe(200);
  });

  it('shares signing keys: both processes publish the same JWKS', async () => {
    const [first, second] = await Promise.all(urls.map(async (url) => (await (await fetch(`${url}/oauth/jwks`)).json()) as { keys: Array<{ kid: string }> }));
    expect(first!.keys.map((key) => key.kid).sort()).toEqual(second!.keys.map((key) => key.kid).sort());
    expect(first!.keys.length).toBe(4);
  });
});
