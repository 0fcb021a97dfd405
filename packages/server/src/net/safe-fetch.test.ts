import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TLSSocket } from 'node:tls';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createDocumentCache } from './document-cache.js';
import { fetchJsonDocument, SafeFetchError, type ResolvedAddress, type SafeFetchOptions } from './safe-fetch.js';

const HOST = 'client.cimd.test';
const DOCUMENT = { client_id: 'placeholder', client_name: 'Test client', redirect_uris: ['https://client.cimd.test/cb'] };
const SECRET_BODY_MARKER = 'body-text-that-must-never-reach-an-error-message';

let server: Server;
let port: number;
let cert: string;
/** What the server saw of each request. */
let seen: { path: string; host: string | undefined; accept: string | undefined; servername: string | false | null | undefined }[] = [];

function respond(path: string, res: import('node:http').ServerResponse): void {
  const json = (body: string, headers: Record<string, string> = {}) => {
    res.writeHead(200, { 'content-type': 'application/json; charset=utf-8', ...headers });
    res.end(body);
  };
  switch (path) {
    case '/client.json':
      return json(JSON.stringify(DOCUMENT), { 'cache-control': 'max-age=120' });
    case '/vendor.json':
      return json('{"ok":true}', { 'content-type': 'application/client-metadata+json' });
    case '/redirect':
      res.writeHead(302, { location: `https://${HOST}:${port}/client.json` });
      return void res.end();
    case '/missing':
      res.writeHead(404, { 'content-type': 'application/json' });
      return void res.end(`{"error":"${SECRET_BODY_MARKER}"}`);
    case '/html':
      res.writeHead(200, { 'content-type': 'text/html' });
      return void res.end(`<p>${SECRET_BODY_MARKER}</p>`);
    case '/broken':
      return json(`{"a": ${SECRET_BODY_MARKER}`);
    case '/declared-large':
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': String(1024 * 1024) });
      return void res.write('{"a":"');
    case '/streamed-large': {
      // No Content-Length: the cap must be enforced while reading.
      res.writeHead(200, { 'content-type': 'application/json' });
      const chunk = 'x'.repeat(16 * 1024);
      let sent = 0;
      const more = () => {
        if (res.destroyed || sent > 100) return;
        sent += 1;
        res.write(chunk, () => setImmediate(more));
      };
      res.write('{"a":"');
      return more();
    }
    case '/slow':
      res.writeHead(200, { 'content-type': 'application/json' });
      res.write('{"a":');
      return void setTimeout(() => res.destroyed || res.end('1}'), 3_000);
    default:
      res.writeHead(500);
      res.end();
  }
}

beforeAll(async () => {
  const dir = mkdtempSync(join(tmpdir(), 'safe-fetch-'));
  try {
    execFileSync('openssl', [
      'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-days', '1',
      '-subj', `/CN=${HOST}`, '-addext', `subjectAltName=DNS:${HOST},DNS:trusted.cimd.test,IP:127.0.0.1`,
      '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem'),
    ], { stdio: 'ignore' });
    cert = readFileSync(join(dir, 'cert.pem'), 'utf8');
    const key = readFileSync(join(dir, 'key.pem'), 'utf8');
    server = createServer({ key, cert }, (req, res) => {
      const path = req.url ?? '';
      seen.push({ path, host: req.headers.host, accept: req.headers.accept, servername: (req.socket as TLSSocket).servername });
      respond(path, res);
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

beforeEach(() => {
  seen = [];
});

/** A resolver answering each call with the next list of addresses (the last one repeats), counting calls. */
function dnsAnswers(...answers: string[][]) {
  const resolve = async (hostname: string): Promise<ResolvedAddress[]> => {
    resolve.calls.push(hostname);
    const answer = answers[Math.min(resolve.calls.length - 1, answers.length - 1)] ?? [];
    return answer.map((address) => ({ address, family: address.includes(':') ? 6 : 4 }));
  };
  resolve.calls = [] as string[];
  return resolve;
}

const url = (path: string, host = HOST) => `https://${host}:${port}${path}`;

/** Options for the local server: its certificate trusted, HOST resolving to loopback and trusted. */
const local = (extra: SafeFetchOptions = {}): SafeFetchOptions => ({
  extraCaCertificates: [cert],
  resolve: dnsAnswers(['127.0.0.1']),
  trustedHosts: [HOST],
  ...extra,
});

async function failure(promise: Promise<unknown>): Promise<SafeFetchError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(SafeFetchError);
  return error as SafeFetchError;
}

describe('fetchJsonDocument', () => {
  it('fetches and parses a JSON document, with SNI and Host naming the host and the cache lifetime read', async () => {
    const result = await fetchJsonDocument(url('/client.json'), local());
    expect(result.body).toEqual(DOCUMENT);
    expect(result.address).toBe('127.0.0.1');
    expect(result.cache).toEqual({ noStore: false, maxAgeSeconds: 120 });
    expect(seen).toEqual([{ path: '/client.json', host: `${HOST}:${port}`, accept: 'application/json', servername: HOST }]);
  });

  it('accepts a structured +json content type', async () => {
    expect((await fetchJsonDocument(url('/vendor.json'), local())).body).toEqual({ ok: true });
  });

  it('validates the certificate normally: an untrusted one fails', async () => {
    const error = await failure(fetchJsonDocument(url('/client.json'), local({ extraCaCertificates: [] })));
    expect(error.kind).toBe('network');
  });

  it.each([
    ['http:', `http://${HOST}/client.json`],
    ['user information', `https://user:pw@${HOST}/client.json`],
    ['a fragment', `https://${HOST}/client.json#x`],
    ['another scheme', 'ftp://client.cimd.test/client.json'],
    ['whitespace', `https://${HOST}/client .json`],
    ['port 0', `https://${HOST}:0/client.json`],
    ['no URL at all', 'client.json'],
  ])('refuses %s before any lookup', async (_what, target) => {
    const resolve = dnsAnswers(['127.0.0.1']);
    const error = await failure(fetchJsonDocument(target, local({ resolve })));
    expect(error.kind).toBe('scheme');
    expect(resolve.calls).toEqual([]);
  });

  it('refuses a host resolving to loopback unless it is trusted', async () => {
    const error = await failure(fetchJsonDocument(url('/client.json'), local({ trustedHosts: [] })));
    expect(error.kind).toBe('address');
    expect(error.message).toContain('127.0.0.1');
    expect(seen).toEqual([]);
    // Trusted hosts are exact names: another host at the same address stays refused.
    const other = await failure(fetchJsonDocument(url('/client.json', 'trusted.cimd.test'), local()));
    expect(other.kind).toBe('address');
    expect((await fetchJsonDocument(url('/client.json', 'trusted.cimd.test'), local({ trustedHosts: ['Trusted.CIMD.test'] }))).body).toEqual(DOCUMENT);
  });

  it('refuses localhost through the system resolver, and loopback IP literals', async () => {
    expect((await failure(fetchJsonDocument(`https://localhost:${port}/client.json`, { extraCaCertificates: [cert] }))).kind).toBe('address');
    expect((await failure(fetchJsonDocument(`https://127.0.0.1:${port}/client.json`, { extraCaCertificates: [cert] }))).kind).toBe('address');
    expect((await failure(fetchJsonDocument(`https://[::1]:${port}/client.json`, { extraCaCertificates: [cert] }))).kind).toBe('address');
    expect(seen).toEqual([]);
  });

  it.each([['10.1.2.3'], ['192.168.0.10'], ['169.254.169.254'], ['100.64.1.1'], ['::1'], ['fc00::1'], ['fe80::1'], ['::ffff:127.0.0.1'], ['0.0.0.0'], ['224.0.0.1']])(
    'refuses a host resolving to %s',
    async (address) => {
      const error = await failure(fetchJsonDocument(url('/client.json'), local({ trustedHosts: [], resolve: dnsAnswers([address]) })));
      expect(error.kind).toBe('address');
      expect(error.message).toContain(address);
    },
  );

  it('checks every address the host resolves to, not just the first', async () => {
    const error = await failure(fetchJsonDocument(url('/client.json'), local({ trustedHosts: [], resolve: dnsAnswers(['93.184.215.14', '10.0.0.1']) })));
    expect(error.kind).toBe('address');
    expect(error.message).toContain('10.0.0.1');
  });

  it('connects to the checked address and never resolves again (DNS rebinding)', async () => {
    // The resolver moves the host to another address after the first lookup: the connection goes
    // to the address that was checked, and the host is resolved once. (Local addresses only, with
    // the host trusted, so the test needs no network; untrusted, the check is the same code path.)
    const moving = dnsAnswers(['127.0.0.1'], ['127.0.0.2']);
    const result = await fetchJsonDocument(url('/client.json'), local({ resolve: moving }));
    expect(result.address).toBe('127.0.0.1');
    expect(moving.calls).toEqual([HOST]);
    // Untrusted, the first answer (private) is refused; the resolver is not asked again for a friendlier one.
    const rebinding = dnsAnswers(['10.0.0.1'], ['93.184.215.14']);
    const error = await failure(fetchJsonDocument(url('/client.json'), local({ trustedHosts: [], resolve: rebinding })));
    expect(error.kind).toBe('address');
    expect(rebinding.calls).toEqual([HOST]);
  });

  it('refuses a redirect without following it', async () => {
    const error = await failure(fetchJsonDocument(url('/redirect'), local()));
    expect(error.kind).toBe('redirect');
    expect(seen.map((request) => request.path)).toEqual(['/redirect']);
  });

  it('refuses any status but 200, without the body in the message', async () => {
    const error = await failure(fetchJsonDocument(url('/missing'), local()));
    expect(error.kind).toBe('status');
    expect(error.message).toContain('404');
    expect(error.message).not.toContain(SECRET_BODY_MARKER);
  });

  it('aborts a body larger than the cap, declared or streamed', async () => {
    const declared = await failure(fetchJsonDocument(url('/declared-large'), local()));
    expect(declared.kind).toBe('too_large');
    const started = Date.now();
    const streamed = await failure(fetchJsonDocument(url('/streamed-large'), local({ maxBytes: 32 * 1024 })));
    expect(streamed.kind).toBe('too_large');
    expect(streamed.message).toContain(String(32 * 1024));
    expect(Date.now() - started).toBeLessThan(2_000);
  });

  it('times out a slow server within the deadline', async () => {
    const started = Date.now();
    const error = await failure(fetchJsonDocument(url('/slow'), local({ timeoutMs: 300 })));
    expect(error.kind).toBe('timeout');
    expect(Date.now() - started).toBeLessThan(2_000);
  });

  it('counts DNS against the deadline too', async () => {
    const never = () => new Promise<ResolvedAddress[]>(() => {});
    expect((await failure(fetchJsonDocument(url('/client.json'), local({ resolve: never, timeoutMs: 100 })))).kind).toBe('timeout');
  });

  it('refuses a non-JSON content type and a body that is not JSON, without echoing the body', async () => {
    const html = await failure(fetchJsonDocument(url('/html'), local()));
    expect(html.kind).toBe('content_type');
    expect(html.message).toContain('text/html');
    const broken = await failure(fetchJsonDocument(url('/broken'), local()));
    expect(broken.kind).toBe('json');
    for (const error of [html, broken]) expect(error.message).not.toContain(SECRET_BODY_MARKER);
  });

  it('reports a host that does not resolve as a network error', async () => {
    const error = await failure(fetchJsonDocument(url('/client.json'), local({ resolve: dnsAnswers([]) })));
    expect(error.kind).toBe('network');
  });
});

describe('createDocumentCache over the fetcher', () => {
  it('makes one request for concurrent lookups and serves the cached document after', async () => {
    const cache = createDocumentCache({ fetchOptions: local() });
    const results = await Promise.all([cache.get(url('/client.json')), cache.get(url('/client.json')), cache.get(url('/client.json'))]);
    expect(results).toEqual([DOCUMENT, DOCUMENT, DOCUMENT]);
    expect(await cache.get(url('/client.json'))).toEqual(DOCUMENT);
    expect(seen).toHaveLength(1);
  });
});
