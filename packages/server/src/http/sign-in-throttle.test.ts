/**
 * Sign-in throttling over HTTP: per (account, client address) with a growing delay, per address
 * across accounts, and X-Forwarded-For read only from trusted proxies. Both password sign-in
 * paths: the standalone /login and the sign-in page of an authorization.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { CoreConfig } from '../core/config.js';
import { pkcePair } from '../testing/agent.js';
import { testDatabases } from '../testing/databases.js';
import { authorizationQuery } from '../testing/flows.js';
import { startTestServer, type TestServer } from '../testing/harness.js';

const CSRF = 'csrf-token-for-throttle-tests-0123456789';

/** One password attempt, from `forwardedFor` as the proxy reports it (the socket peer is always 127.0.0.1). */
async function attempt(server: TestServer, target: string, username: string, password: string, forwardedFor?: string) {
  const response = await fetch(server.url + target, {
    method: 'POST',
    redirect: 'manual',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      cookie: `gatehouse_csrf=${CSRF}`,
      ...(forwardedFor === undefined ? {} : { 'x-forwarded-for': forwardedFor }),
    },
    body: new URLSearchParams({ csrf_token: CSRF, username, password }),
  });
  const body = await response.text();
  return { status: response.status, body, throttled: body.includes('Too many failed attempts'), signedIn: response.status === 303 || response.status === 302 || body.includes('Allow') };
}

/** The sign-in form's target: /login, or the sign-in step of a fresh authorization request. */
async function signInTarget(server: TestServer, kind: 'login' | 'interaction'): Promise<string> {
  if (kind === 'login') return '/login';
  const { clientId } = await server.app();
  const { challenge } = await pkcePair();
  const query = authorizationQuery(clientId, challenge);
  const response = await fetch(`${server.url}/oauth/authorize?${query}`, { redirect: 'manual' });
  const location = response.headers.get('location') ?? '';
  expect(location).toMatch(/^\/interaction\//);
  return `${location}/login`;
}

const waitOf = (body: string): number => {
  const match = /Try again in (\d+) (second|minute)/.exec(body);
  if (!match) throw new Error('no wait on the page');
  return Number(match[1]) * (match[2] === 'minute' ? 60 : 1);
};

describe.each(testDatabases())('sign-in throttling ($name)', (factory) => {
  let server: TestServer;
  afterEach(async () => server?.close());

  const trustLoopback = (trusted: boolean) => ({ config: (base: CoreConfig): CoreConfig => ({ ...base, trustedProxies: trusted ? ['127.0.0.1'] : [] }) });
  /** A server whose clock stands still: the first delays are a second or two, less than a slow sign-in may take. */
  const start = async (options?: Parameters<typeof startTestServer>[1]) => {
    const started = await startTestServer(factory, options);
    started.clock.freeze();
    return started;
  };

  it.each(['login', 'interaction'] as const)('failures from one address do not keep the owner out from another (%s)', async (kind) => {
    server = await start(trustLoopback(true));
    const owner = await server.user();
    const target = await signInTarget(server, kind);
    for (let i = 0; i < 15; i++) await attempt(server, target, owner.username, `wrong ${i}`, '203.0.113.5');
    // The guessing address now waits, even with the right password…
    expect((await attempt(server, target, owner.username, owner.password, '203.0.113.5')).throttled).toBe(true);
    // …but the owner, elsewhere, signs in.
    const own = await attempt(server, target, owner.username, owner.password, '198.51.100.9');
    expect(own.throttled).toBe(false);
    expect(own.signedIn).toBe(true);
  });

  it('stops one address spraying a password over many accounts, and only that address', async () => {
    server = await start();
    const victim = await server.user();
    const target = await signInTarget(server, 'login');
    // The per-address budget is 100 failures, whatever the accounts (the per-account delay never starts: one try each).
    for (let i = 0; i < 100; i++) {
      const sprayed = await attempt(server, target, `sprayed-${i}`, 'Winter2026!');
      expect(sprayed.throttled).toBe(false);
    }
    const refused = await attempt(server, target, victim.username, victim.password);
    expect(refused.throttled).toBe(true);
    expect(waitOf(refused.body)).toBeGreaterThanOrEqual(14 * 60);
    server.clock.advance(15 * 60 + 1);
    expect((await attempt(server, target, victim.username, victim.password)).signedIn).toBe(true);
  }, 60_000);

  it('ignores X-Forwarded-For unless the socket peer is a trusted proxy', async () => {
    server = await start(trustLoopback(false));
    const owner = await server.user();
    // Every attempt claims another address; the throttle sees 127.0.0.1 each time.
    for (let i = 0; i < 5; i++) await attempt(server, '/login', owner.username, 'wrong', `192.0.2.${i + 1}`);
    expect((await attempt(server, '/login', owner.username, owner.password, '192.0.2.200')).throttled).toBe(true);
  });

  it('reads X-Forwarded-For from a trusted proxy: the right-most address that is not a proxy is the client', async () => {
    server = await start(trustLoopback(true));
    const owner = await server.user();
    // The client wrote "192.0.2.77"; the proxy appended the address it saw, 203.0.113.7.
    for (let i = 0; i < 5; i++) await attempt(server, '/login', owner.username, 'wrong', `192.0.2.${i + 70}, 203.0.113.7`);
    expect((await attempt(server, '/login', owner.username, owner.password, '203.0.113.7')).throttled).toBe(true);
    expect((await attempt(server, '/login', owner.username, owner.password, '192.0.2.70, 203.0.113.7, 127.0.0.1')).throttled).toBe(true);
    expect((await attempt(server, '/login', owner.username, owner.password, '192.0.2.70')).signedIn).toBe(true);
  });

  it('makes each attempt after the free ones wait longer, then lets the right password in once the wait is over', async () => {
    server = await start();
    const owner = await server.user();
    for (let i = 0; i < 5; i++) expect((await attempt(server, '/login', owner.username, 'wrong')).throttled).toBe(false);
    const waits: number[] = [];
    for (let i = 0; i < 6; i++) {
      const refused = await attempt(server, '/login', owner.username, 'wrong');
      expect(refused.throttled).toBe(true);
      const wait = waitOf(refused.body);
      waits.push(wait);
      server.clock.advance(wait);
      expect((await attempt(server, '/login', owner.username, 'wrong')).throttled).toBe(false);
    }
    expect(waits).toEqual([1, 2, 4, 8, 16, 32]);
    const early = await attempt(server, '/login', owner.username, owner.password);
    expect(early.throttled).toBe(true);
    expect(waitOf(early.body)).toBeGreaterThanOrEqual(63);
    server.clock.advance(64);
    expect((await attempt(server, '/login', owner.username, owner.password)).signedIn).toBe(true);
  });
});
