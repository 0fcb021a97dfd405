import { execFileSync } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TestAgent, type AgentResponse } from '../../testing/agent.js';
import { testDatabases } from '../../testing/databases.js';
import { startTestServer, type TestServer } from '../../testing/harness.js';

const FIELDS = {
  name: 'Ledger',
  token_endpoint_auth_method: 'client_secret_post',
  grant_type: ['authorization_code', 'refresh_token'],
  scope: ['openid', 'profile'],
  visibility: 'unlisted',
  owner: 'me',
  access_token_ttl: '',
  refresh_token_ttl: '',
  id_token_signed_response_alg: 'RS256',
  access_token_format: 'opaque',
};

const decode = (html: string) =>
  html.replace(/&#39;/g, "'").replace(/&quot;/g, '"').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&#x27;/g, "'").replace(/&amp;/g, '&');

/** Runs the printed command in bash with `curl` replaced by a function that prints its arguments, one per line. */
function curlArguments(command: string): string[] {
  const output = execFileSync('bash', ['-c', `curl() { printf '%s\\n' "$@"; }\n${command}`], { encoding: 'utf8' });
  return output.split('\n').slice(0, -1);
}

/** The developer dashboard refuses control characters in an app's URIs, and prints its example request shell-safe. */
describe.each(testDatabases())('registered URIs in the developer dashboard on $name', (factory) => {
  let server: TestServer;
  let agent: TestAgent;
  let form: AgentResponse;

  beforeAll(async () => {
    server = await startTestServer(factory);
    await server.user({ username: `admin${process.pid}`, isAdmin: true });
    const user = await server.user();
    agent = new TestAgent(server.url);
    await agent.submit(await agent.navigate('/login'), '/login', { username: user.username, password: user.password });
    form = await agent.navigate('/developer/apps/new');
    expect(form.status).toBe(200);
  });
  afterAll(async () => server?.close());

  const create = (fields: Record<string, string>) => agent.submit(form, '/developer/apps/new', { ...FIELDS, ...fields });

  it('prints the example curl so that a shell passes a hostile redirect URI as one literal argument', async () => {
    const marker = join(tmpdir(), `gatehouse-shell-${process.pid}-${Date.now()}`);
    rmSync(marker, { force: true });
    const uri = `https://a.example/cb?x='$(touch\${IFS}${marker})'&y=\`touch\${IFS}${marker}\`;touch\${IFS}${marker}`;
    const created = await create({ redirect_uris: uri });
    expect(created.status, created.body.slice(0, 500)).toBe(200);
    const clientId = /id="new-client-id"[^>]*value="([^"]+)"/.exec(created.body)![1]!;
    expect((await server.gatehouse.deps.stores.findClient(clientId))!.redirectUris).toEqual([uri]);

    const detail = await agent.navigate(`/developer/apps/${clientId}`);
    const command = decode(/<code id="curl-example">([\s\S]*?)<\/code>/.exec(detail.body)![1]!);
    const args = curlArguments(command);
    expect(existsSync(marker), 'the printed command ran the injected command').toBe(false);
    expect(args).toContain(`redirect_uri=${uri}`);
    expect(args).toContain(`${server.issuer}/oauth/token`);
    expect(args).toContain(`client_id=${clientId}`);
    expect(args).toEqual(expect.arrayContaining(['-d', 'grant_type=authorization_code', '--data-urlencode', 'client_secret=CLIENT_SECRET']));
  });

  it('refuses a tab, a space or another whitespace in a redirect URI with a form error', async () => {
    for (const [uri, codePoint] of [
      ['https://a.example/c\tb', 'U+0009'],
      ["https://a.example/cb?x='$(touch /tmp/p)'", 'U+0020'],
      ['https://a.example/c\u00a0b', 'U+00A0'],
      ['https://a.example/c\u2028b', 'U+2028'],
    ] as const) {
      const page = await create({ name: 'Tabbed', redirect_uris: uri });
      expect(page.status, uri).toBe(400);
      expect(page.body).toContain('href="#app-redirect-uris"');
      expect(page.body).toContain(`Must not contain control characters or whitespace (${codePoint} at character`);
    }
    expect((await server.gatehouse.deps.stores.listClients()).some((client) => client.name === 'Tabbed')).toBe(false);
  });

  it('refuses NUL and other control characters in any URI field with a form error beside it, never a 5xx, and stores nothing', async () => {
    for (const [fields, field] of [
      [{ redirect_uris: 'https://a.example/c\u0000b' }, 'redirect-uris'],
      [{ redirect_uris: 'https://a.example/cb\u0085' }, 'redirect-uris'],
      [{ redirect_uris: 'https://a.example/cb', homepage_url: 'https://a.example/\u0000' }, 'homepage-url'],
      [{ redirect_uris: 'https://a.example/cb', logo_url: 'https://a.example/\u001bl.png' }, 'logo-url'],
      [{ redirect_uris: 'https://a.example/cb', homepage_url: 'https://a.example/\th' }, 'homepage-url'],
      [{ redirect_uris: 'https://a.example/cb', homepage_url: 'https://a.example/\nh' }, 'homepage-url'],
    ] as const) {
      const page = await create({ name: 'Controlled', ...fields });
      expect(page.status, JSON.stringify(fields)).toBe(400);
      expect(page.body, JSON.stringify(fields)).toContain(`href="#app-${field}"`);
      expect(page.body).toMatch(/control characters/);
      expect(page.body).not.toMatch(/[\u0000\u001b\u0085]/);
    }
    expect((await server.gatehouse.deps.stores.listClients()).some((client) => client.name === 'Controlled')).toBe(false);
  });

  it('refuses a NUL in an edited redirect URI with a form error, keeping the stored settings', async () => {
    const created = await create({ name: 'Editable', redirect_uris: 'https://a.example/cb' });
    const clientId = /id="new-client-id"[^>]*value="([^"]+)"/.exec(created.body)![1]!;
    const edit = await agent.navigate(`/developer/apps/${clientId}/edit`);
    const page = await agent.submit(edit, `/developer/apps/${clientId}/edit`, { ...FIELDS, name: 'Editable', redirect_uris: 'https://a.example/cb\u0000' });
    expect(page.status).toBe(400);
    expect(page.body).toContain('href="#app-redirect-uris"');
    expect(page.body).toContain('https://a.example/cb');
    expect((await server.gatehouse.deps.stores.findClient(clientId))!.redirectUris).toEqual(['https://a.example/cb']);
    const tabbed = await agent.submit(edit, `/developer/apps/${clientId}/edit`, { ...FIELDS, name: 'Editable', redirect_uris: 'https://a.example/c\tb' });
    expect(tabbed.status).toBe(400);
    expect(tabbed.body).toContain('U+0009');
  });
});
