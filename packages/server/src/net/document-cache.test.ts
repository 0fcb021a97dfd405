import { describe, expect, it } from 'vitest';
import { createDocumentCache } from './document-cache.js';
import { SafeFetchError, type FetchedJsonDocument } from './safe-fetch.js';
import type { CacheLifetime } from './cache-lifetime.js';

/** A fake fetch answering each URL with `{ url, n }` (n counts the fetches of that URL) and the given cache headers. */
function fakeFetch(cache: CacheLifetime = { noStore: false, maxAgeSeconds: 300 }) {
  const calls = new Map<string, number>();
  let release: (() => void) | undefined;
  const fetch = async (url: string): Promise<FetchedJsonDocument> => {
    const n = (calls.get(url) ?? 0) + 1;
    calls.set(url, n);
    if (fetch.hold) await new Promise<void>((resolve) => (release = resolve));
    if (fetch.fail) throw new SafeFetchError('status', 'answered 500; only 200 is accepted');
    return { url, address: '93.184.215.14', body: { url, n }, cache: fetch.cache };
  };
  fetch.cache = cache;
  fetch.hold = false;
  fetch.fail = false;
  fetch.calls = (url: string) => calls.get(url) ?? 0;
  fetch.release = () => release?.();
  return fetch;
}

function clock(start = 1_000_000) {
  const now = () => now.at;
  now.at = start;
  now.advance = (seconds: number) => (now.at += seconds * 1000);
  return now;
}

const A = 'https://a.example.com/client.json';
const B = 'https://b.example.com/client.json';

describe('createDocumentCache', () => {
  it('keeps a document for its max-age', async () => {
    const fetch = fakeFetch({ noStore: false, maxAgeSeconds: 300 });
    const now = clock();
    const cache = createDocumentCache({ fetch, now });
    expect(await cache.get(A)).toEqual({ url: A, n: 1 });
    now.advance(299);
    expect(await cache.get(A)).toEqual({ url: A, n: 1 });
    now.advance(1);
    expect(await cache.get(A)).toEqual({ url: A, n: 2 });
  });

  it('clamps the lifetime to at least the floor, no-store and silent headers included', async () => {
    for (const lifetime of [
      { noStore: false, maxAgeSeconds: 5 },
      { noStore: true, maxAgeSeconds: null },
      { noStore: false, maxAgeSeconds: null },
    ]) {
      const fetch = fakeFetch(lifetime);
      const now = clock();
      const cache = createDocumentCache({ fetch, now, minTtlSeconds: 60 });
      await cache.get(A);
      now.advance(59);
      await cache.get(A);
      expect(fetch.calls(A), JSON.stringify(lifetime)).toBe(1);
      now.advance(1);
      await cache.get(A);
      expect(fetch.calls(A)).toBe(2);
    }
  });

  it('clamps the lifetime to at most the ceiling', async () => {
    const fetch = fakeFetch({ noStore: false, maxAgeSeconds: 7 * 86_400 });
    const now = clock();
    const cache = createDocumentCache({ fetch, now });
    await cache.get(A);
    now.advance(86_399);
    await cache.get(A);
    expect(fetch.calls(A)).toBe(1);
    now.advance(1);
    await cache.get(A);
    expect(fetch.calls(A)).toBe(2);
  });

  it('honours no-store when the floor is 0', async () => {
    const fetch = fakeFetch({ noStore: true, maxAgeSeconds: null });
    const cache = createDocumentCache({ fetch, now: clock(), minTtlSeconds: 0 });
    await cache.get(A);
    await cache.get(A);
    expect(fetch.calls(A)).toBe(2);
    expect(cache.size).toBe(0);
  });

  it('makes one fetch for concurrent lookups of one URL', async () => {
    const fetch = fakeFetch();
    fetch.hold = true;
    const cache = createDocumentCache({ fetch, now: clock() });
    const lookups = [cache.get(A), cache.get(A), cache.get(A)];
    await Promise.resolve();
    fetch.release();
    expect(await Promise.all(lookups)).toEqual([{ url: A, n: 1 }, { url: A, n: 1 }, { url: A, n: 1 }]);
    expect(fetch.calls(A)).toBe(1);
  });

  it('caches neither errors nor documents that parse refuses', async () => {
    const fetch = fakeFetch();
    fetch.fail = true;
    const cache = createDocumentCache({
      fetch,
      now: clock(),
      parse: (body) => {
        if ((body as { n: number }).n === 2) throw new Error('invalid document');
        return body;
      },
    });
    await expect(cache.get(A)).rejects.toMatchObject({ kind: 'status' });
    fetch.fail = false;
    await expect(cache.get(A)).rejects.toThrow('invalid document');
    expect(cache.size).toBe(0);
    expect(await cache.get(A)).toEqual({ url: A, n: 3 });
    expect(fetch.calls(A)).toBe(3);
  });

  it('evicts the least recently used document beyond maxEntries', async () => {
    const fetch = fakeFetch();
    const cache = createDocumentCache({ fetch, now: clock(), maxEntries: 2 });
    const C = 'https://c.example.com/client.json';
    await cache.get(A);
    await cache.get(B);
    await cache.get(A); // A is now the most recently used
    await cache.get(C); // evicts B
    expect(cache.size).toBe(2);
    await cache.get(A);
    expect(fetch.calls(A)).toBe(1);
    await cache.get(B);
    expect(fetch.calls(B)).toBe(2);
  });

  it('forgets a document on delete', async () => {
    const fetch = fakeFetch();
    const cache = createDocumentCache({ fetch, now: clock() });
    await cache.get(A);
    cache.delete(A);
    await cache.get(A);
    expect(fetch.calls(A)).toBe(2);
  });

  it('refuses bounds that cannot hold', () => {
    expect(() => createDocumentCache({ minTtlSeconds: 100, maxTtlSeconds: 10 })).toThrow(RangeError);
    expect(() => createDocumentCache({ maxEntries: 0 })).toThrow(RangeError);
  });
});
