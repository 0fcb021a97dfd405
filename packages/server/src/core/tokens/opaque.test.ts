import { describe, expect, it } from 'vitest';
import { generateOpaque, isWellFormedOpaque, randomBytes } from './opaque.js';

describe('randomBytes (pooled)', () => {
  it('returns the size asked for, fresh bytes each time, including sizes above the pool', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 1000; i++) {
      const bytes = randomBytes(16);
      expect(bytes.length).toBe(16);
      seen.add(bytes.toString('hex'));
    }
    expect(seen.size).toBe(1000);
    expect(randomBytes(10_000).length).toBe(10_000);
  });

  it('hands out copies: bytes already given keep their value when the pool refills', () => {
    const first = randomBytes(32);
    const copy = Buffer.from(first);
    for (let i = 0; i < 300; i++) randomBytes(32); // more than 4 KiB: the pool refills at least twice
    expect(first.equals(copy)).toBe(true);
  });
});

describe('generateOpaque', () => {
  it('makes prefixed, checksummed values that differ every time', () => {
    const values = Array.from({ length: 200 }, () => generateOpaque('gat_'));
    expect(new Set(values).size).toBe(200);
    for (const value of values) expect(isWellFormedOpaque(value, 'gat_')).toBe(true);
  });
});
