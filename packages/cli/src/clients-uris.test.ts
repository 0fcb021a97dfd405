import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDatabases } from '../../server/src/testing/databases.js';
import { main } from './main.js';

async function run(args: string[]) {
  let stdout = '';
  let stderr = '';
  const code = await main(args, { stdout: (text) => void (stdout += text), stderr: (text) => void (stderr += text), env: {}, stdin: Readable.from([]) });
  return { code, stdout, stderr };
}

const postgres = testDatabases().find((database) => database.name === 'postgres')!;
const databases = [
  {
    name: 'sqlite',
    async open() {
      const dir = await mkdtemp(join(tmpdir(), 'gatehouse-cli-uris-'));
      return { url: `sqlite:${join(dir, 'gatehouse.db')}`, close: () => rm(dir, { recursive: true, force: true }) };
    },
  },
  { name: 'postgres', open: () => postgres.open() },
];

/** Registered URIs with a control character or whitespace are refused with one clear line, on both databases. */
describe.each(databases)('gatehouse clients create on $name', (database) => {
  let url: string;
  let close: () => Promise<void>;
  beforeAll(async () => {
    ({ url, close } = await database.open());
    expect((await run(['migrate', '--database', url])).code).toBe(0);
  });
  afterAll(async () => close?.());

  it.each([
    ['a NUL in a redirect URI', ['--redirect-uri', 'https://a.example/c\u0000b'], /redirect_uris: must not contain control characters or whitespace \(U\+0000 at character 20\)/],
    ['a tab in a redirect URI', ['--redirect-uri', 'https://a.example/c\tb'], /redirect_uris: .*U\+0009/],
    ['a newline in a redirect URI', ['--redirect-uri', 'https://a.example/cb\n'], /redirect_uris: .*U\+000A/],
    ['an escape in a redirect URI', ['--redirect-uri', 'com.example.app:/\u001b[31m'], /redirect_uris: .*U\+001B/],
    ['a C1 control in a redirect URI', ['--redirect-uri', 'https://a.example/\u0085'], /redirect_uris: .*U\+0085/],
    ['a NUL in the homepage', ['--redirect-uri', 'https://a.example/cb', '--homepage-url', 'https://a.example/\u0000'], /client_uri: .*U\+0000/],
    ['a tab in the logo', ['--redirect-uri', 'https://a.example/cb', '--logo-url', 'https://a.example/\tl.png'], /logo_uri: .*U\+0009/],
    ['a NUL in the name', ['--name', 'Bad\u0000Name', '--redirect-uri', 'https://a.example/cb'], /client_name: must not contain control characters/],
  ])('refuses %s', async (_label, args, message) => {
    const result = await run(['clients', 'create', '--name', 'Probe', ...args, '--database', url]);
    expect(result.code, result.stderr).not.toBe(0);
    const lines = result.stderr.trimEnd().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(message);
    expect(result.stderr).not.toMatch(/[\u0000\u001b\u0085]/);
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });

  it('stores nothing for a refused app, and accepts the same app without the bad character', async () => {
    await run(['clients', 'create', '--name', 'Refused', '--redirect-uri', 'https://a.example/c\u0000b', '--database', url]);
    const list = await run(['clients', 'list', '--json', '--database', url]);
    expect(list.stdout).not.toContain('Refused');
    // A space was never allowed in a URI; the same injection written without one is a legal URI.
    const spaced = await run(['clients', 'create', '--name', 'Spaced', '--redirect-uri', "https://a.example/cb?x='$(touch /tmp/p)'", '--database', url]);
    expect(spaced.stderr).toMatch(/redirect_uris: .*U\+0020/);
    const uri = "https://a.example/cb?x='$(touch${IFS}/tmp/p)'";
    const ok = await run(['clients', 'create', '--name', 'Fine', '--redirect-uri', uri, '--json', '--database', url]);
    expect(ok.code, ok.stderr).toBe(0);
    expect(JSON.parse(ok.stdout).redirect_uris).toEqual([uri]);
  });
});
