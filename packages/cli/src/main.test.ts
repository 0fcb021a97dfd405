import { spawnSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDatabases } from '../../server/src/testing/databases.js';
import { main, type CliIo } from './main.js';

interface Result {
  code: number;
  stdout: string;
  stderr: string;
}

async function run(args: string[], io: Partial<CliIo> = {}): Promise<Result> {
  let stdout = '';
  let stderr = '';
  const code = await main(args, {
    stdout: (text) => void (stdout += text),
    stderr: (text) => void (stderr += text),
    env: {},
    stdin: Readable.from([]),
    ...io,
  });
  return { code, stdout, stderr };
}

/** Asserts that stdout is exactly one JSON object and returns it. */
function onlyJson(result: Result): Record<string, any> {
  const lines = result.stdout.trim().split('\n');
  expect(lines).toHaveLength(1);
  const value = JSON.parse(lines[0]!);
  expect(typeof value).toBe('object');
  expect(Array.isArray(value)).toBe(false);
  return value;
}

/** A failure: non-zero status and exactly one line on stderr, with no stack trace. */
function expectFailure(result: Result, pattern: RegExp, code = 1): void {
  expect(result.code, result.stderr).toBe(code);
  const lines = result.stderr.trimEnd().split('\n');
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatch(pattern);
  expect(result.stderr).not.toMatch(/\n\s+at /);
}

const freePort = (): Promise<number> =>
  new Promise((resolve, reject) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });

interface CliDatabase {
  name: string;
  open(): Promise<{ url: string; close(): Promise<void> }>;
}

const postgres = testDatabases().find((database) => database.name === 'postgres')!;
const databases: CliDatabase[] = [
  {
    // A brand-new file, so `migrate` has work to do.
    name: 'sqlite',
    async open() {
      const dir = await mkdtemp(join(tmpdir(), 'gatehouse-cli-'));
      return { url: `sqlite:${join(dir, 'gatehouse.db')}`, close: () => rm(dir, { recursive: true, force: true }) };
    },
  },
  { name: 'postgres', open: () => postgres.open() },
];

describe('gatehouse (no database)', () => {
  it('prints help', async () => {
    const top = await run(['--help']);
    expect(top.code).toBe(0);
    expect(top.stdout).toContain('Usage: gatehouse <command>');
    expect(top.stdout).toContain('clients rotate-secret');
    const group = await run(['clients', '--help']);
    expect(group.code).toBe(0);
    expect(group.stdout).toContain('clients create');
    const command = await run(['clients', 'create', '--help']);
    expect(command.code).toBe(0);
    expect(command.stdout).toContain('--redirect-uri URI');
    expect(onlyJson(await run(['users', 'create', '--help', '--json']))).toHaveProperty('usage');
  });

  it('reports usage errors with status 2', async () => {
    expectFailure(await run([]), /missing command/, 2);
    expectFailure(await run(['frobnicate']), /unknown command "frobnicate"/, 2);
    expectFailure(await run(['users']), /missing users subcommand/, 2);
    expectFailure(await run(['users', 'delete']), /unknown command "users delete"/, 2);
    expectFailure(await run(['users', 'create', '--bogus']), /Unknown option '--bogus'.*--help/, 2);
    expectFailure(await run(['users', 'create', '--password', 'password123']), /missing --username/, 2);
    expectFailure(await run(['clients', 'delete']), /missing CLIENT_ID/, 2);
    expectFailure(await run(['clients', 'delete', 'a', 'b']), /unexpected argument "b"/, 2);
    const json = await run(['users', 'create', '--json']);
    expect(json.code).toBe(2);
    expect(onlyJson(json)).toMatchObject({ error: 'usage', message: 'missing --username' });
  });

  it('rejects invalid settings before touching the database', async () => {
    expectFailure(await run(['serve', '--port', '99999']), /^gatehouse: Invalid setting PORT \(--port\): expected an integer between 1 and 65535$/);
    expectFailure(await run(['serve', '--issuer', 'http://id.example.com']), /GATEHOUSE_ISSUER \(--issuer\)/);
    expectFailure(await run(['scopes', 'list', '--database', 'mysql://x']), /Invalid setting DATABASE_URL \(--database\)/);
  });
});

for (const database of databases) {
  describe(`gatehouse on ${database.name}`, () => {
    let url: string;
    let close: () => Promise<void>;
    let dir: string;
    const db = (...args: string[]) => run([...args, '--database', url]);

    beforeAll(async () => {
      ({ url, close } = await database.open());
      dir = await mkdtemp(join(tmpdir(), 'gatehouse-cli-files-'));
    });
    afterAll(async () => {
      await close?.();
      await rm(dir, { recursive: true, force: true });
    });

    it('migrates', async () => {
      const first = onlyJson(await run(['migrate', '--json', '--database', url]));
      expect(Array.isArray(first['applied'])).toBe(true);
      if (database.name === 'sqlite') expect(first['applied']).toContain('0001_initial');
      const again = await db('migrate');
      expect(again.code).toBe(0);
      expect(again.stdout).toBe('Database is up to date.\n');
    });

    it('creates users', async () => {
      const result = await db('users', 'create', '--username', 'ada', '--password', 'analytical-engine', '--email', 'ada@example.com', '--name', 'Ada Lovelace', '--admin', '--json');
      expect(result.code).toBe(0);
      const user = onlyJson(result);
      expect(Object.keys(user).sort()).toEqual(['email', 'id', 'name', 'username']);
      expect(user).toMatchObject({ username: 'ada', email: 'ada@example.com', name: 'Ada Lovelace' });

      const human = await db('users', 'create', '--username', 'grace', '--password', 'cobol-forever');
      expect(human.code).toBe(0);
      expect(human.stdout).toMatch(/^Created user grace \(id .+\)\n$/);

      // The password can come from stdin, out of sight of `ps`; DATABASE_URL works like --database.
      const piped = await run(['users', 'create', '--username', 'linus', '--password-stdin', '--json'], {
        stdin: Readable.from(['kernel-hacker\n']),
        env: { DATABASE_URL: url },
      });
      expect(onlyJson(piped)).toMatchObject({ username: 'linus', email: null, name: null });
    });

    it('rejects bad users', async () => {
      expectFailure(await db('users', 'create', '--username', 'ADA', '--password', 'password123'), /username: "ADA" is already taken/);
      const json = await db('users', 'create', '--username', 'ada', '--password', 'password123', '--json');
      expect(onlyJson(json)).toMatchObject({ error: 'conflict', field: 'username' });
      expectFailure(await db('users', 'create', '--username', 'x', '--password', 'password123'), /username: must be 3-39/);
      expectFailure(await db('users', 'create', '--username', 'shorty', '--password', 'short'), /password: must be at least 8/);
      expectFailure(await db('users', 'create', '--username', 'mailer', '--password', 'password123', '--email', 'nope'), /email/);
    });

    it('manages workspaces', async () => {
      const created = onlyJson(await db('workspaces', 'create', '--name', 'Acme Research', '--owner', 'ada', '--json'));
      expect(created).toMatchObject({ name: 'Acme Research', slug: 'acme-research', owner: 'ada' });
      const explicit = await db('workspaces', 'create', '--name', 'Other', '--slug', 'other-team', '--owner', 'grace');
      expect(explicit.stdout).toContain('slug other-team');

      const added = onlyJson(await db('workspaces', 'add-member', '--workspace', 'acme-research', '--user', 'grace', '--role', 'admin', '--json'));
      expect(added).toEqual({ workspace: 'acme-research', user: 'grace', role: 'admin' });
      const member = await db('workspaces', 'add-member', '--workspace', 'acme-research', '--user', 'linus');
      expect(member.stdout).toBe('linus is now member of acme-research\n');

      expectFailure(await db('workspaces', 'add-member', '--workspace', 'acme-research', '--user', 'linus', '--role', 'king'), /role: must be one of owner, admin, member/);
      expectFailure(await db('workspaces', 'add-member', '--workspace', 'nope', '--user', 'linus'), /workspace "nope" not found/);
      expectFailure(await db('workspaces', 'add-member', '--workspace', 'acme-research', '--user', 'ghost'), /user "ghost" not found/);
      expectFailure(await db('workspaces', 'create', '--name', 'Acme Research', '--owner', 'ada'), /already exists/);
      expectFailure(await db('workspaces', 'create', '--name', 'Ghost Town', '--owner', 'ghost'), /user "ghost" not found/);
      expectFailure(await db('workspaces', 'create', '--name', 'X', '--slug', 'Bad Slug!', '--owner', 'ada'), /slug/);
      expectFailure(await db('workspaces', 'create', '--owner', 'ada'), /missing --name/, 2);
    });

    it('manages scopes', async () => {
      const created = onlyJson(await db('scopes', 'create', '--name', 'project:read', '--description', 'Read your projects', '--requires-workspace', '--json'));
      expect(created).toEqual({ name: 'project:read', description: 'Read your projects', requires_workspace: true });
      expectFailure(await db('scopes', 'create', '--name', 'project:read', '--description', 'again'), /project:read/);
      expectFailure(await db('scopes', 'create', '--name', 'Bad Name', '--description', 'x'), /name: "Bad Name" is not a valid scope name/);
      expectFailure(await db('scopes', 'create', '--name', 'ok:scope', '--description', 'd'.repeat(201)), /description/);

      const file = join(dir, 'scopes.json');
      await writeFile(
        file,
        JSON.stringify([
          { name: 'model-eval:read', description: 'Read model evaluations', requires_workspace: true },
          { name: 'training-job:create', description: 'Start training jobs', requiresWorkspace: true },
          { name: 'project:read', description: 'Read projects' },
        ]),
      );
      expect(onlyJson(await db('scopes', 'import', file, '--json'))).toEqual({ created: 2, updated: 1 });
      expect((await db('scopes', 'import', file)).stdout).toBe('Imported scopes: 0 created, 3 updated\n');

      const bad = join(dir, 'bad.json');
      await writeFile(bad, '[{"name": "x:y"}]');
      expectFailure(await db('scopes', 'import', bad), /scopes\[0\]\.description: is required/);
      await writeFile(bad, 'not json');
      expectFailure(await db('scopes', 'import', bad), /not valid JSON/);
      expectFailure(await db('scopes', 'import', join(dir, 'missing.json')), /cannot read .*ENOENT/);

      const listed = onlyJson(await db('scopes', 'list', '--json'));
      const names = (listed['scopes'] as Array<{ name: string }>).map((s) => s.name);
      expect(names).toEqual(expect.arrayContaining(['openid', 'project:read', 'model-eval:read', 'training-job:create']));
      const human = await db('scopes', 'list');
      expect(human.stdout).toMatch(/^NAME\s+WORKSPACE\s+BUILTIN\s+DESCRIPTION/);
      expect(human.stdout).toContain('model-eval:read');
    });

    let clientId = '';
    let secret = '';

    it('registers clients', async () => {
      const result = await db(
        'clients', 'create', '--name', 'Notebook',
        '--redirect-uri', 'https://notebook.example.com/cb', '--redirect-uri', 'http://127.0.0.1:8080/cb',
        '--homepage-url', 'https://notebook.example.com', '--scope', 'openid profile project:read',
        '--access-token-ttl', '900', '--id-token-alg', 'ES256', '--access-token-format', 'jwt',
        '--visibility', 'public', '--owner', 'ada', '--owner-workspace', 'acme-research', '--json',
      );
      expect(result.code, result.stderr).toBe(0);
      const client = onlyJson(result);
      expect(client).toMatchObject({
        client_name: 'Notebook',
        redirect_uris: ['https://notebook.example.com/cb', 'http://127.0.0.1:8080/cb'],
        token_endpoint_auth_method: 'client_secret_post',
        grant_types: ['authorization_code', 'refresh_token'],
        scope: 'openid profile project:read',
        client_uri: 'https://notebook.example.com',
        access_token_ttl: 900,
        id_token_signed_response_alg: 'ES256',
        access_token_format: 'jwt',
        visibility: 'public',
        client_secret_expires_at: 0,
      });
      expect(client['client_id']).toMatch(/^[a-z0-9]{24}$/);
      expect(client['client_secret']).toMatch(/^gcs_/);
      clientId = client['client_id'];
      secret = client['client_secret'];

      const human = await db('clients', 'create', '--name', 'Dashboard', '--redirect-uri', 'https://dash.example.com/cb', '--auth-method', 'client_secret_basic');
      expect(human.code).toBe(0);
      expect(human.stdout).toMatch(/client_secret:\s+gcs_\S+/);
      expect(human.stdout).toContain('not shown again');

      const spa = onlyJson(await db('clients', 'create', '--name', 'SPA', '--redirect-uri', 'https://spa.example.com/cb', '--auth-method', 'none', '--json'));
      expect(spa['token_endpoint_auth_method']).toBe('none');
      expect(spa).not.toHaveProperty('client_secret');
      expect(spa['scope']).toBe('openid profile email');

      const native = await db('clients', 'create', '--name', 'Mobile', '--redirect-uri', 'com.example.mobile:/oauth', '--auth-method', 'none');
      expect(native.code, native.stderr).toBe(0);
      expect(native.stdout).not.toContain('client_secret');

      const worker = onlyJson(await db('clients', 'create', '--name', 'Worker', '--grant-type', 'client_credentials', '--scope', 'project:read', '--json'));
      expect(worker).toMatchObject({ grant_types: ['client_credentials'], redirect_uris: [], response_types: [] });
    });

    it('rejects bad clients with the RFC 7591 field', async () => {
      const https = ['--redirect-uri', 'https://app.example.com/cb'];
      expectFailure(await db('clients', 'create', '--name', 'X', ...https, '--scope', 'openid admin:all'), /scope: unknown scope "admin:all"/);
      expectFailure(await db('clients', 'create', '--name', 'X', '--redirect-uri', 'http://example.com/cb'), /redirect_uris: .*must use https/);
      expectFailure(await db('clients', 'create', '--name', 'X', '--redirect-uri', 'javascript:alert(1)'), /redirect_uris: .*forbidden scheme javascript:/);
      expectFailure(await db('clients', 'create', '--name', 'X', '--redirect-uri', 'https://app.example.com/cb#x'), /redirect_uris: .*fragment/);
      expectFailure(await db('clients', 'create', '--name', 'X', '--redirect-uri', 'https://*.example.com/cb'), /redirect_uris: .*wildcard/);
      expectFailure(await db('clients', 'create', ...https), /client_name: is required/);
      expectFailure(await db('clients', 'create', '--name', 'X'), /redirect_uris: at least one is required/);
      expectFailure(await db('clients', 'create', '--name', 'X', ...https, '--auth-method', 'private_key_jwt'), /token_endpoint_auth_method/);
      expectFailure(await db('clients', 'create', '--name', 'X', ...https, '--auth-method', 'none', '--grant-type', 'client_credentials'), /grant_types/);
      expectFailure(await db('clients', 'create', '--name', 'X', ...https, '--grant-type', 'password'), /grant_types: "password" is not supported/);
      expectFailure(await db('clients', 'create', '--name', 'X', ...https, '--access-token-ttl', 'soon'), /access_token_ttl/);
      expectFailure(await db('clients', 'create', '--name', 'X', ...https, '--refresh-token-ttl', '0'), /refresh_token_ttl/);
      expectFailure(await db('clients', 'create', '--name', 'X', ...https, '--id-token-alg', 'HS256'), /id_token_signed_response_alg/);
      expectFailure(await db('clients', 'create', '--name', 'X', ...https, '--access-token-format', 'paseto'), /access_token_format/);
      expectFailure(await db('clients', 'create', '--name', 'X', ...https, '--visibility', 'secret'), /visibility/);
      expectFailure(await db('clients', 'create', '--name', 'X', ...https, '--logo-url', 'http://cdn.example.com/x.png'), /logo_uri/);
      expectFailure(await db('clients', 'create', '--name', 'X', ...https, '--owner', 'ghost'), /user "ghost" not found/);
      expectFailure(await db('clients', 'create', '--name', 'X', ...https, '--owner-workspace', 'nope'), /workspace "nope" not found/);
      const json = onlyJson(await db('clients', 'create', '--name', 'X', '--redirect-uri', 'http://example.com/cb', '--json'));
      expect(json).toMatchObject({ error: 'invalid_input', field: 'redirect_uris' });
    });

    it('lists, rotates and deletes clients', async () => {
      const listed = onlyJson(await db('clients', 'list', '--json'));
      const ids = (listed['clients'] as Array<{ client_id: string }>).map((c) => c.client_id);
      expect(ids).toContain(clientId);
      expect(JSON.stringify(listed)).not.toContain(secret);
      expect((await db('clients', 'list')).stdout).toContain(clientId);

      const rotated = onlyJson(await db('clients', 'rotate-secret', clientId, '--grace', '300', '--json'));
      expect(rotated['client_id']).toBe(clientId);
      expect(rotated['client_secret']).toMatch(/^gcs_/);
      expect(rotated['client_secret']).not.toBe(secret);
      const human = await db('clients', 'rotate-secret', clientId);
      expect(human.stdout).toMatch(/^New client secret for [a-z0-9]{24}:\n {2}gcs_\S+\n/);
      expect(human.stdout).toContain('Previous secrets no longer work.');

      expectFailure(await db('clients', 'rotate-secret', 'doesnotexist000000000000'), /client "doesnotexist000000000000" not found/);
      expectFailure(await db('clients', 'rotate-secret', clientId, '--grace', '-5'), /Option '--grace' argument is ambiguous/, 2);
      expectFailure(await db('clients', 'rotate-secret', clientId, '--grace=-5'), /grace: must be a whole number/);
      expectFailure(await db('clients', 'rotate-secret', clientId, '--grace', 'soon'), /grace: must be a whole number/);

      expect((await db('clients', 'delete', clientId)).stdout).toBe(`Deleted client ${clientId}\n`);
      expectFailure(await db('clients', 'delete', clientId), /not found/);
      expect(onlyJson(await db('clients', 'delete', 'doesnotexist000000000000', '--json'))).toMatchObject({ error: 'not_found' });
    });

    it('flags a client as a resource server and unflags it', async () => {
      const api = onlyJson(await db('clients', 'create', '--name', 'Projects API', '--grant-type', 'client_credentials', '--auth-method', 'client_secret_basic', '--json'));
      const id = api['client_id'] as string;
      const flagOf = async () => ((onlyJson(await db('clients', 'list', '--json'))['clients'] as Array<{ client_id: string; resource_server: boolean }>).find((c) => c.client_id === id))!.resource_server;
      expect(await flagOf()).toBe(false);
      expect(onlyJson(await db('clients', 'set-resource-server', id, '--on', '--json'))).toEqual({ client_id: id, resource_server: true });
      expect(await flagOf()).toBe(true);
      const off = await db('clients', 'set-resource-server', id, '--off');
      expect(off.code, off.stderr).toBe(0);
      expect(off.stdout).toBe(`${id} is not a resource server: it may introspect its own tokens only.\n`);
      expect(await flagOf()).toBe(false);

      expectFailure(await db('clients', 'set-resource-server', id), /exactly one of --on and --off/, 2);
      expectFailure(await db('clients', 'set-resource-server', id, '--on', '--off'), /exactly one of --on and --off/, 2);
      expectFailure(await db('clients', 'set-resource-server', 'doesnotexist000000000000', '--on'), /client "doesnotexist000000000000" not found/);
      const spa = onlyJson(await db('clients', 'create', '--name', 'SPA', '--redirect-uri', 'https://spa.example.com/cb', '--auth-method', 'none', '--json'));
      expect(onlyJson(await db('clients', 'set-resource-server', spa['client_id'], '--on', '--json'))).toMatchObject({ error: 'invalid_input', field: 'resource_server' });
    });

    it('lists and rotates signing keys', async () => {
      const rotated = onlyJson(await db('keys', 'rotate', '--alg', 'ES256', '--json'));
      expect(rotated['alg']).toBe('ES256');
      expect(typeof rotated['kid']).toBe('string');
      const keys = onlyJson(await db('keys', 'list', '--json'))['keys'] as Array<Record<string, unknown>>;
      expect(keys.find((k) => k['kid'] === rotated['kid'])).toMatchObject({ alg: 'ES256', state: 'current' });
      expect(keys.some((k) => k['alg'] === 'ES256' && k['state'] === 'retired')).toBe(true);
      const human = await db('keys', 'rotate');
      expect(human.stdout).toMatch(/^Rotated RS256 signing keys; now signing with kid \S+\n$/);
      expect((await db('keys', 'list')).stdout).toMatch(/^KID\s+ALG\s+STATE/);
      expectFailure(await db('keys', 'rotate', '--alg', 'HS256'), /alg: must be one of RS256, ES256/);
    });

    it('purges expired rows', async () => {
      const report = onlyJson(await db('purge', '--json'));
      for (const key of ['codes', 'tokens', 'revocations', 'sessions', 'interactions', 'clientSecrets', 'signingKeys']) {
        expect(typeof report[key]).toBe('number');
      }
      // The rotation without grace above expired the previous secrets.
      expect((await db('purge')).stdout).toMatch(/^Purged: /);
    });
  });
}

describe('gatehouse key secret', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'gatehouse-cli-keys-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('creates the key file beside the SQLite file, seals with it, and every key command uses it', async () => {
    const url = `sqlite:${join(dir, 'one.db')}`;
    expect((await run(['migrate', '--database', url])).code).toBe(0);
    const { stat, readFile } = await import('node:fs/promises');
    expect(((await stat(join(dir, 'one.key'))).mode & 0o777).toString(8)).toBe('600');
    const secret = (await readFile(join(dir, 'one.key'), 'utf8')).trim();
    expect(onlyJson(await run(['keys', 'rotate', '--json', '--database', url]))['alg']).toBe('RS256');
    const { openStores, isSealedForTests } = await serverInternals();
    const opened = await openStores(url);
    try {
      for (const key of await opened.stores.listKeys()) expect(isSealedForTests(key.privateJwk, secret)).toBe(true);
    } finally {
      await opened.close();
    }
    expect((await run(['keys', 'list', '--database', url])).code).toBe(0);
    // Another key file, or the database without its own: a clear one-line refusal, also for purge.
    await writeFile(join(dir, 'other.key'), 'another-secret-in-a-file-0123456789abcdef\n', { mode: 0o600 });
    expectFailure(await run(['keys', 'list', '--database', url, '--key-file', join(dir, 'other.key')]), /^gatehouse: The access token key cannot be decrypted with the key file .*other\.key: the database was sealed with another secret; set GATEHOUSE_KEY_SECRET or GATEHOUSE_KEY_FILE/);
    expectFailure(await run(['purge', '--database', url], { env: { GATEHOUSE_KEY_FILE: join(dir, 'missing.key') } }), /^gatehouse: The keys in this database are sealed, but the key file .*missing\.key does not exist/);
  });

  it('refuses key commands on Postgres in production without an explicit secret', async () => {
    const database = await postgres.open();
    try {
      for (const args of [['keys', 'list'], ['keys', 'rotate'], ['migrate'], ['purge']]) {
        expectFailure(
          await run([...args, '--database', database.url], { env: { NODE_ENV: 'production' } }),
          /^gatehouse: GATEHOUSE_KEY_SECRET is required with Postgres in production \(NODE_ENV=production\)/,
        );
      }
      const ok = await run(['keys', 'list', '--json', '--database', database.url], {
        env: { NODE_ENV: 'production', GATEHOUSE_KEY_SECRET: 'a-production-secret-of-32-characters-or-more' },
      });
      expect(ok.code, ok.stderr).toBe(0);
    } finally {
      await database.close();
    }
  });
});

/** What the assertions above read directly: the stores, and whether a stored private key opens with the secret. */
async function serverInternals() {
  const { openStores } = await import('../../server/src/storage/index.js');
  const { open } = await import('../../server/src/core/crypto/seal.js');
  return { openStores, isSealedForTests: (box: string, secret: string) => !box.includes('"d"') && open(box, secret, 'signing-key') !== undefined };
}

describe('gatehouse binary', () => {
  const bin = fileURLToPath(new URL('../bin/gatehouse.js', import.meta.url));
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'gatehouse-bin-'));
  });
  afterAll(async () => rm(dir, { recursive: true, force: true }));

  it('runs the compiled command with exit codes', () => {
    const url = `sqlite:${join(dir, 'bin.db')}`;
    const ok = spawnSync(process.execPath, [bin, 'users', 'create', '--username', 'spawned', '--password', 'password123', '--json', '--database', url], { encoding: 'utf8' });
    expect(ok.status, ok.stderr).toBe(0);
    expect(JSON.parse(ok.stdout)).toMatchObject({ username: 'spawned' });
    const dup = spawnSync(process.execPath, [bin, 'users', 'create', '--username', 'spawned', '--password', 'password123', '--database', url], { encoding: 'utf8' });
    expect(dup.status).toBe(1);
    expect(dup.stdout).toBe('');
    expect(dup.stderr.trim().split('\n')).toHaveLength(1);
  });
});

describe('gatehouse serve', () => {
  it('starts the server, serves discovery and stops on the shutdown signal', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'gatehouse-serve-'));
    const port = await freePort();
    let stop!: () => void;
    const stopped = new Promise<void>((resolve) => (stop = resolve));
    let stdout = '';
    let stderr = '';
    const exit = main(['serve', '--port', String(port), '--database', `sqlite:${join(dir, 'serve.db')}`, '--json'], {
      stdout: (text) => void (stdout += text),
      stderr: (text) => void (stderr += text),
      env: { LOG_LEVEL: 'silent' },
      shutdownSignal: () => stopped,
    });
    try {
      for (let i = 0; i < 100 && stdout === '' && stderr === ''; i++) await new Promise((r) => setTimeout(r, 50));
      expect(stderr).toBe('');
      const started = onlyJson({ code: 0, stdout, stderr });
      expect(started['issuer']).toBe(`http://localhost:${port}`);
      const response = await fetch(`http://127.0.0.1:${port}/.well-known/openid-configuration`);
      expect(response.status).toBe(200);
      expect(((await response.json()) as { issuer: string }).issuer).toBe(`http://localhost:${port}`);
    } finally {
      stop();
      expect(await exit).toBe(0);
      await rm(dir, { recursive: true, force: true });
    }
  });
});
