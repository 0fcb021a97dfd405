/**
 * A small in-process cache of fetched documents (client ID metadata documents), so a client's
 * authorization and token requests do not each fetch its URL: the draft asks for HTTP cache
 * headers to be respected within bounds the server chooses, and forbids caching errors and
 * invalid documents (draft-ietf-oauth-client-id-metadata-document, "Metadata Caching"; fetching
 * on every request is also a side channel, "Authorization Server Fetch Side Channel").
 *
 * - Lifetime: the response's (cache-lifetime.ts) clamped to [minTtlSeconds, maxTtlSeconds]. The
 *   floor also applies to `no-store` and to responses that say nothing, so a client cannot make
 *   the server fetch on every request; a floor of 0 honours `no-store` and keeps nothing stale.
 * - Bounded: at most `maxEntries` documents, least recently used evicted first.
 * - Single flight: concurrent lookups of one URL share one fetch.
 * - `parse` runs before anything is kept: a document it rejects is not cached.
 */
import { fetchJsonDocument, type FetchedJsonDocument, type SafeFetchOptions } from './safe-fetch.js';

export const DEFAULT_MAX_ENTRIES = 1_000;
export const DEFAULT_MIN_TTL_SECONDS = 60;
export const DEFAULT_MAX_TTL_SECONDS = 86_400;

export interface DocumentCacheOptions<T> {
  maxEntries?: number;
  minTtlSeconds?: number;
  maxTtlSeconds?: number;
  /** Milliseconds. */
  now?: () => number;
  /** Options for the default fetch. */
  fetchOptions?: SafeFetchOptions;
  /** How a document is fetched; default fetchJsonDocument with `fetchOptions`. */
  fetch?: (url: string) => Promise<FetchedJsonDocument>;
  /** Turns a fetched body into the cached value, throwing when it is invalid. */
  parse?: (body: unknown, url: string) => T;
}

export interface DocumentCache<T> {
  /** The cached value, or a fresh fetch; errors (SafeFetchError, or whatever `parse` throws) are never cached. */
  get(url: string): Promise<T>;
  /** Forgets a document, e.g. after the client it describes was refused. */
  delete(url: string): void;
  readonly size: number;
}

interface Entry<T> {
  value: T;
  expiresAt: number;
}

export function createDocumentCache<T = unknown>(options: DocumentCacheOptions<T> = {}): DocumentCache<T> {
  const maxEntries = options.maxEntries ?? DEFAULT_MAX_ENTRIES;
  const minTtl = options.minTtlSeconds ?? DEFAULT_MIN_TTL_SECONDS;
  const maxTtl = options.maxTtlSeconds ?? DEFAULT_MAX_TTL_SECONDS;
  if (!(maxEntries >= 1 && minTtl >= 0 && maxTtl >= minTtl)) throw new RangeError('need maxEntries ≥ 1 and 0 ≤ minTtlSeconds ≤ maxTtlSeconds');
  const now = options.now ?? Date.now;
  const fetch = options.fetch ?? ((url: string) => fetchJsonDocument(url, options.fetchOptions));
  const parse = options.parse ?? ((body: unknown) => body as T);
  // A Map iterates in insertion order: re-inserting on use keeps the least recently used first.
  const entries = new Map<string, Entry<T>>();
  const inFlight = new Map<string, Promise<T>>();

  async function load(url: string): Promise<T> {
    const fetched = await fetch(url);
    const value = parse(fetched.body, url);
    const declared = fetched.cache.noStore ? 0 : (fetched.cache.maxAgeSeconds ?? minTtl);
    const ttl = Math.min(maxTtl, Math.max(minTtl, declared));
    if (ttl > 0) {
      entries.delete(url);
      entries.set(url, { value, expiresAt: now() + ttl * 1000 });
      for (const oldest of entries.keys()) {
        if (entries.size <= maxEntries) break;
        entries.delete(oldest);
      }
    }
    return value;
  }

  return {
    get(url) {
      const entry = entries.get(url);
      if (entry !== undefined) {
        entries.delete(url);
        if (entry.expiresAt > now()) {
          entries.set(url, entry);
          return Promise.resolve(entry.value);
        }
      }
      const pending = inFlight.get(url);
      if (pending !== undefined) return pending;
      const started = load(url).finally(() => inFlight.delete(url));
      inFlight.set(url, started);
      return started;
    },
    delete(url) {
      entries.delete(url);
    },
    get size() {
      return entries.size;
    },
  };
}
