/**
 * Fetches a JSON document from a URL a client chose (a client ID metadata document,
 * draft-ietf-oauth-client-id-metadata-document, "Client Information Discovery"), with the
 * protections the draft's security considerations ask for:
 * - https only, no credentials or fragment in the URL;
 * - the host is resolved once, every address is checked (no special-use address, RFC 6890, see
 *   addresses.ts) and the connection is pinned to the checked address, so a DNS answer that
 *   changes between check and connect (DNS rebinding) cannot redirect it; SNI, `Host` and
 *   certificate validation still use the host name;
 * - redirects are errors, not followed ("MUST NOT automatically follow HTTP redirects"), and any
 *   status other than 200 is an error;
 * - one deadline for the whole exchange (DNS, connect, TLS, headers, body) and a cap on the body,
 *   counted as it streams ("Maximum Response Size");
 * - a JSON content type, `Accept: application/json`, no content coding.
 * Error messages name what went wrong and never carry the response body.
 */
import { promises as dns } from 'node:dns';
import { request } from 'node:https';
import { isIP, type LookupFunction } from 'node:net';
import { rootCertificates } from 'node:tls';
import { isPublicAddress } from './addresses.js';
import { cacheLifetime, type CacheLifetime } from './cache-lifetime.js';

export const DEFAULT_TIMEOUT_MS = 5_000;
export const DEFAULT_MAX_BYTES = 64 * 1024;
const URL_MAX_LENGTH = 2048;
const USER_AGENT = 'Gatehouse (client metadata fetch)';
/** Control characters, whitespace and backslashes: a URL parser would drop or rewrite them, so what is fetched would differ from what was given. */
const URL_FORBIDDEN = /[\u0000-\u0020\u007f-\u009f\\]|\s/u;
/** application/json, or a structured +json type (the draft allows application/<AS-defined>+json). */
const JSON_MEDIA_TYPE = /^application\/(?:[\w.-]+\+)?json$/;
const MEDIA_TYPE = /^[\w.+-]+\/[\w.+-]+$/;

export type SafeFetchErrorKind = 'scheme' | 'address' | 'timeout' | 'too_large' | 'status' | 'redirect' | 'content_type' | 'json' | 'network';

/** Why a fetch was refused or failed. The message may be logged; it never includes the response body. */
export class SafeFetchError extends Error {
  constructor(
    readonly kind: SafeFetchErrorKind,
    message: string,
  ) {
    super(message);
    this.name = 'SafeFetchError';
  }
}

export interface ResolvedAddress {
  address: string;
  family: 4 | 6;
}

/** Every address a host name resolves to (tests simulate DNS answers with their own). */
export type Resolver = (hostname: string) => Promise<ResolvedAddress[]>;

export interface SafeFetchOptions {
  /** For the whole exchange; default 5 s. */
  timeoutMs?: number;
  /** The most body bytes read; default 64 KiB. */
  maxBytes?: number;
  /**
   * Host names (lowercase, as in the URL) whose addresses are not checked: intranet hosts an
   * operator vouches for (`GATEHOUSE_CIMD_TRUSTED_HOSTS`), and tests. Exact names, no wildcards.
   */
  trustedHosts?: Iterable<string>;
  resolve?: Resolver;
  /** PEM certificates trusted in addition to the system's roots (a self-signed test server, an intranet CA). */
  extraCaCertificates?: readonly string[];
  /** Milliseconds; for reading `Expires`. */
  now?: () => number;
}

export interface FetchedJsonDocument {
  url: string;
  /** The address the connection went to: the one checked. */
  address: string;
  body: unknown;
  cache: CacheLifetime;
}

const defaultResolver: Resolver = async (hostname) =>
  (await dns.lookup(hostname, { all: true, verbatim: true })).map(({ address, family }) => ({ address, family: family === 6 ? 6 : 4 }));

/** The URL, if it is one this fetcher may request. */
function checkedUrl(input: string): URL {
  const refuse = (reason: string): never => {
    throw new SafeFetchError('scheme', `the URL ${reason}`);
  };
  if (typeof input !== 'string' || input === '') refuse('is empty');
  if (input.length > URL_MAX_LENGTH) refuse(`is longer than ${URL_MAX_LENGTH} characters`);
  if (URL_FORBIDDEN.test(input)) refuse('contains whitespace, control characters or a backslash');
  let url: URL | undefined;
  try {
    url = new URL(input);
  } catch {
    refuse('is not an absolute URL');
  }
  const parsed = url as URL;
  if (parsed.protocol !== 'https:') refuse('must use https');
  if (parsed.username !== '' || parsed.password !== '') refuse('must not contain user information');
  if (input.includes('#')) refuse('must not contain a fragment');
  if (parsed.hostname === '') refuse('has no host');
  if (parsed.port === '0') refuse('must not use port 0');
  return parsed;
}

/** Resolves the host once and returns the address to connect to, every answer having been checked unless the host is trusted. */
async function pinAddress(host: string, trusted: boolean, resolve: Resolver): Promise<ResolvedAddress> {
  const literal = isIP(host);
  let addresses: ResolvedAddress[];
  if (literal !== 0) {
    addresses = [{ address: host, family: literal === 6 ? 6 : 4 }];
  } else {
    try {
      addresses = await resolve(host);
    } catch (error) {
      throw new SafeFetchError('network', `could not resolve ${host} (${(error as NodeJS.ErrnoException).code ?? 'lookup failed'})`);
    }
  }
  const first = addresses[0];
  if (first === undefined) throw new SafeFetchError('network', `${host} resolves to no address`);
  if (!trusted) {
    const special = addresses.find(({ address }) => !isPublicAddress(address));
    if (special) throw new SafeFetchError('address', `${host} resolves to ${special.address}, a special-use address`);
  }
  return first;
}

/** A `lookup` that answers every query with the pinned address, so connecting never resolves again. */
function pinnedLookup(pinned: ResolvedAddress): LookupFunction {
  return ((_hostname: string, options: { all?: boolean }, callback: (...args: unknown[]) => void) => {
    if (options.all) callback(null, [{ address: pinned.address, family: pinned.family }]);
    else callback(null, pinned.address, pinned.family);
  }) as LookupFunction;
}

function rejectsTimeout<T>(promise: Promise<T>, deadline: AbortSignal, timeoutMs: number): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(new SafeFetchError('timeout', `no answer within ${timeoutMs} ms`));
    if (deadline.aborted) return onAbort();
    deadline.addEventListener('abort', onAbort, { once: true });
    promise.then(resolve, reject).finally(() => deadline.removeEventListener('abort', onAbort));
  });
}

interface Exchange {
  address: string;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

function exchange(url: URL, host: string, pinned: ResolvedAddress, ca: string[] | undefined, maxBytes: number, deadline: AbortSignal, timeoutMs: number): Promise<Exchange> {
  return new Promise<Exchange>((resolve, reject) => {
    let settled = false;
    const req = request({
      method: 'GET',
      hostname: host,
      port: url.port === '' ? 443 : Number(url.port),
      path: `${url.pathname}${url.search}`,
      headers: { accept: 'application/json', 'accept-encoding': 'identity', 'user-agent': USER_AGENT },
      // A fresh connection every time: a pooled socket could belong to an earlier address.
      agent: false,
      lookup: pinnedLookup(pinned),
      ...(ca ? { ca } : {}),
    });
    const settle = (error: SafeFetchError | undefined, value?: Exchange) => {
      if (settled) return;
      settled = true;
      deadline.removeEventListener('abort', onAbort);
      if (error) {
        req.destroy();
        reject(error);
      } else resolve(value as Exchange);
    };
    const onAbort = () => settle(new SafeFetchError('timeout', `no complete answer within ${timeoutMs} ms`));
    deadline.addEventListener('abort', onAbort, { once: true });

    req.on('error', (error: NodeJS.ErrnoException) => settle(new SafeFetchError('network', `could not fetch from ${pinned.address}: ${error.code ?? error.message}`)));
    req.on('response', (res) => {
      const status = res.statusCode ?? 0;
      if (status >= 300 && status < 400) return settle(new SafeFetchError('redirect', `answered ${status}, a redirect; redirects are not followed`));
      if (status !== 200) return settle(new SafeFetchError('status', `answered ${status}; only 200 is accepted`));
      const mediaType = (res.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
      if (!JSON_MEDIA_TYPE.test(mediaType)) {
        return settle(new SafeFetchError('content_type', `the content type ${MEDIA_TYPE.test(mediaType) ? `"${mediaType}"` : '(missing or malformed)'} is not JSON`));
      }
      const coding = (res.headers['content-encoding'] ?? 'identity').trim().toLowerCase();
      if (coding !== 'identity') return settle(new SafeFetchError('content_type', 'the body has a content coding, though identity was asked for'));
      const tooLarge = () => new SafeFetchError('too_large', `the body is larger than ${maxBytes} bytes`);
      const declared = Number(res.headers['content-length']);
      if (Number.isFinite(declared) && declared > maxBytes) return settle(tooLarge());
      const address = res.socket?.remoteAddress ?? pinned.address;
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > maxBytes) return settle(tooLarge());
        chunks.push(chunk);
      });
      res.on('end', () => settle(undefined, { address, headers: res.headers, body: Buffer.concat(chunks) }));
      // After 'end' this changes nothing; before it, the connection was cut mid-body.
      res.on('close', () => settle(new SafeFetchError('network', 'the answer broke off')));
    });
    req.end();
  });
}

function parseJson(body: Buffer): unknown {
  try {
    // fatal: invalid UTF-8 is an error rather than replacement characters (RFC 8259 §8.1).
    return JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(body));
  } catch {
    throw new SafeFetchError('json', 'the body is not valid JSON');
  }
}

/**
 * GETs `url` and parses its JSON body, with the checks above; throws SafeFetchError. The body is
 * any JSON value: what a document must contain is for its caller to decide.
 */
export async function fetchJsonDocument(url: string, options: SafeFetchOptions = {}): Promise<FetchedJsonDocument> {
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_BYTES;
  const target = checkedUrl(url);
  const host = target.hostname.startsWith('[') ? target.hostname.slice(1, -1) : target.hostname;
  const trusted = new Set([...(options.trustedHosts ?? [])].map((name) => name.toLowerCase())).has(host);
  const ca = options.extraCaCertificates?.length ? [...rootCertificates, ...options.extraCaCertificates] : undefined;

  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), timeoutMs);
  try {
    const pinned = await rejectsTimeout(pinAddress(host, trusted, options.resolve ?? defaultResolver), controller.signal, timeoutMs);
    const answer = await exchange(target, host, pinned, ca, maxBytes, controller.signal, timeoutMs);
    return {
      url,
      address: answer.address,
      body: parseJson(answer.body),
      cache: cacheLifetime(answer.headers, (options.now ?? Date.now)()),
    };
  } finally {
    clearTimeout(timer);
  }
}
