import { describe, expect, it } from 'vitest';
import { cacheLifetime } from './cache-lifetime.js';

const NOW = Date.parse('2026-12-01T12:00:00Z');

describe('cacheLifetime', () => {
  it('reads max-age, less the Age the response already has', () => {
    expect(cacheLifetime({ 'cache-control': 'public, max-age=300' }, NOW)).toEqual({ noStore: false, maxAgeSeconds: 300 });
    expect(cacheLifetime({ 'cache-control': 'max-age="300"', age: '100' }, NOW)).toEqual({ noStore: false, maxAgeSeconds: 200 });
    expect(cacheLifetime({ 'cache-control': 'max-age=60', age: '600' }, NOW).maxAgeSeconds).toBe(0);
  });

  it('reports no-store, and makes no-cache stale at once', () => {
    expect(cacheLifetime({ 'cache-control': 'no-store' }, NOW)).toEqual({ noStore: true, maxAgeSeconds: null });
    expect(cacheLifetime({ 'cache-control': 'No-Cache, max-age=600' }, NOW)).toEqual({ noStore: false, maxAgeSeconds: 0 });
  });

  it('treats several or malformed max-age directives as stale', () => {
    expect(cacheLifetime({ 'cache-control': 'max-age=60, max-age=600' }, NOW).maxAgeSeconds).toBe(0);
    expect(cacheLifetime({ 'cache-control': 'max-age=-5' }, NOW).maxAgeSeconds).toBe(0);
    expect(cacheLifetime({ 'cache-control': 'max-age' }, NOW).maxAgeSeconds).toBe(0);
  });

  it('falls back to Expires, against Date when given and the clock otherwise', () => {
    const expires = new Date(NOW + 3_600_000).toUTCString();
    expect(cacheLifetime({ expires }, NOW).maxAgeSeconds).toBe(3600);
    expect(cacheLifetime({ expires, date: new Date(NOW - 600_000).toUTCString() }, NOW).maxAgeSeconds).toBe(4200);
    expect(cacheLifetime({ expires: new Date(NOW - 1000).toUTCString() }, NOW).maxAgeSeconds).toBe(0);
    expect(cacheLifetime({ expires: '0' }, NOW).maxAgeSeconds).toBe(0);
    expect(cacheLifetime({ expires, 'cache-control': 'max-age=10' }, NOW).maxAgeSeconds).toBe(10);
  });

  it('says nothing when the headers say nothing', () => {
    expect(cacheLifetime({}, NOW)).toEqual({ noStore: false, maxAgeSeconds: null });
    expect(cacheLifetime({ 'cache-control': 'public' }, NOW)).toEqual({ noStore: false, maxAgeSeconds: null });
  });
});
