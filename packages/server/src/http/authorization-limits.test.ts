/**
 * Every authorization parameter is bounded, and so is the request as a whole: a request without
 * a session is parked for 30 minutes, so what it may make the server store stays a few KB.
 * Refusals are invalid_request, redirected to the client once it is known (RFC 6749 §4.1.2.1),
 * and nothing is stored.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { pkcePair } from '../testing/agent.js';
import { testDatabases } from '../testing/databases.js';
import { TEST_REDIRECT_URI, authorizationQuery } from '../testing/flows.js';
import { startTestServer, type TestServer } from '../testing/harness.js';

describe.each(testDatabases())('authorization request limits on $name', (factory) => {
  let server: TestServer;
  let clientId: string;

  beforeAll(async () => {
    server = await startTestServer(factory);
    ({ clientId } = await server.app());
  });
  afterAll(async () => server?.close());

  async function request(extra: Record<string, string>, method: 'GET' | 'POST' = 'GET') {
    const { challenge } = await pkcePair();
    const params = authorizationQuery(clientId, challenge, extra);
    const response =
      method === 'GET'
        ? await fetch(`${server.url}/oauth/authorize?${params}`, { redirect: 'manual' })
        : await fetch(`${server.url}/oauth/authorize`, { method, redirect: 'manual', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: params });
    return { status: response.status, location: response.headers.get('location') ?? '', body: await response.text() };
  }

  /** Interactions stored while `run` runs: counted by the store's purge once they have expired, and by the calls. */
  async function stored(run: () => Promise<void>): Promise<{ calls: number; rows: number }> {
    const stores = server.gatehouse.deps.stores;
    const purge = () => stores.purgeExpired(server.clock.now(), { batchSize: 1000, maxBatches: 100, keyRetentionSeconds: 0 });
    server.clock.advance(31 * 60);
    await purge();
    const spy = vi.spyOn(stores, 'createInteraction');
    try {
      await run();
      server.clock.advance(31 * 60);
      return { calls: spy.mock.calls.length, rows: (await purge()).interactions };
    } finally {
      spy.mockRestore();
    }
  }

  const refusedAtClient = (response: { status: number; location: string }, description: string | RegExp) => {
    expect([302, 303]).toContain(response.status);
    const location = new URL(response.location, server.url);
    expect(location.origin + location.pathname).toBe(TEST_REDIRECT_URI);
    expect(location.searchParams.get('error')).toBe('invalid_request');
    expect(location.searchParams.get('error_description')).toMatch(description);
    return location;
  };

  it('parks a request within the limits (the count below sees it)', async () => {
    const counted = await stored(async () => {
      const response = await request({ login_hint: 'h'.repeat(256), nonce: 'n'.repeat(512), state: 's'.repeat(2048), resource: `https://api.example.com/${'r'.repeat(900)}` });
      expect(response.location).toMatch(/^\/interaction\//);
    });
    expect(counted).toEqual({ calls: 1, rows: 1 });
  });

  it('accepts the longest redirect URI a client may register', async () => {
    const long = `${TEST_REDIRECT_URI}?${'q'.repeat(2000 - TEST_REDIRECT_URI.length - 1)}`;
    const registered = await server.app({ redirect_uris: [long] });
    const { challenge } = await pkcePair();
    const query = new URLSearchParams({ response_type: 'code', client_id: registered.clientId, redirect_uri: long, scope: 'openid', code_challenge: challenge, code_challenge_method: 'S256' });
    const response = await fetch(`${server.url}/oauth/authorize?${query}`, { redirect: 'manual' });
    expect(response.headers.get('location')).toMatch(/^\/interaction\//);
  });

  it('refuses each over-long parameter with invalid_request at the client, and stores nothing', async () => {
    const cases: Array<[Record<string, string>, RegExp]> = [
      [{ login_hint: 'h'.repeat(257) }, /^login_hint is too long \(at most 256 characters\)$/],
      [{ login_hint: 'h'.repeat(7000) }, /^login_hint is too long/],
      [{ resource: `https://api.example.com/${'r'.repeat(1001)}` }, /^resource is too long \(at most 1024 characters\)$/],
      [{ nonce: 'n'.repeat(513) }, /^nonce is too long \(at most 512 characters\)$/],
      [{ claims: JSON.stringify({ userinfo: { x: 'c'.repeat(1100) } }) }, /^claims is too long \(at most 1024 characters\)$/],
      [{ ui_locales: 'u'.repeat(1025) }, /^ui_locales is too long/],
      [{ scope: `openid ${'openid '.repeat(300)}` }, /^scope is too long \(at most 2048 characters\)$/],
      [{ id_token_hint: 'e'.repeat(4097) }, /^id_token_hint is too long/],
      [Object.fromEntries(Array.from({ length: 9 }, (_, i) => [`extra${i}`, 'x'.repeat(1000)])), /^the authorization request is too large \(at most 8192 characters of parameters\)$/],
    ];
    const counted = await stored(async () => {
      for (const [extra, description] of cases) {
        refusedAtClient(await request(extra), description);
        refusedAtClient(await request(extra, 'POST'), description);
      }
    });
    expect(counted).toEqual({ calls: 0, rows: 0 });
  });

  it('refuses an over-long state without echoing it', async () => {
    const counted = await stored(async () => {
      const location = refusedAtClient(await request({ state: 's'.repeat(2049) }), /^state is too long \(at most 2048 characters\)$/);
      expect(location.searchParams.has('state')).toBe(false);
      expect(location.searchParams.get('iss')).toBe(server.issuer);
    });
    expect(counted).toEqual({ calls: 0, rows: 0 });
  });

  it('accepts one resource only', async () => {
    const { challenge } = await pkcePair();
    const query = `response_type=code&client_id=${clientId}&redirect_uri=${encodeURIComponent(TEST_REDIRECT_URI)}&scope=openid&code_challenge=${challenge}&code_challenge_method=S256&resource=https%3A%2F%2Fa.example%2F&resource=https%3A%2F%2Fb.example%2F`;
    const counted = await stored(async () => {
      const response = await fetch(`${server.url}/oauth/authorize?${query}`, { redirect: 'manual' });
      refusedAtClient({ status: response.status, location: response.headers.get('location') ?? '' }, /^parameter resource was included more than once$/);
    });
    expect(counted).toEqual({ calls: 0, rows: 0 });
  });

  it('shows an over-long client_id or redirect_uri on the error page, storing nothing', async () => {
    const counted = await stored(async () => {
      for (const extra of [{ client_id: 'c'.repeat(5000) }, { redirect_uri: `${TEST_REDIRECT_URI}?${'r'.repeat(5000)}` }]) {
        const response = await request(extra, 'POST');
        expect(response.status).toBe(400);
        expect(response.body).toMatch(/data-oauth-error="invalid_(client|request)"/);
      }
    });
    expect(counted).toEqual({ calls: 0, rows: 0 });
  });
});
