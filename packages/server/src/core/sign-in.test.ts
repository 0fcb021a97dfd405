import { describe, expect, it } from 'vitest';
import { addressBucket, FailureCounters, MemorySignInThrottle } from './sign-in.js';

const at = (account: string, address = '192.0.2.1') => ({ account, address });

describe('sign-in throttle', () => {
  it('delays an account on one address after the free failures, the delay doubling up to its cap', () => {
    const throttle = new MemorySignInThrottle({ freeFailures: 3, baseDelaySeconds: 2, maxDelaySeconds: 10, windowSeconds: 600 });
    let now = 1000;
    for (let attempt = 0; attempt < 3; attempt++) {
      expect(throttle.wait(at('ada'), now)).toBe(0);
      throttle.failed(at('ada'), now);
    }
    const waits: number[] = [];
    for (let attempt = 0; attempt < 5; attempt++) {
      const wait = throttle.wait(at('ada'), now);
      waits.push(wait);
      now += wait;
      expect(throttle.wait(at('ada'), now)).toBe(0);
      throttle.failed(at('ada'), now);
    }
    expect(waits).toEqual([2, 4, 8, 10, 10]);
    // Only that address and that account are held up.
    expect(throttle.wait(at('ada', '198.51.100.7'), now)).toBe(0);
    expect(throttle.wait(at('grace'), now)).toBe(0);
  });

  it('forgets failures after a success', () => {
    const throttle = new MemorySignInThrottle({ freeFailures: 2 });
    throttle.failed(at('ada'), 100);
    throttle.failed(at('ada'), 100);
    expect(throttle.wait(at('ada'), 100)).toBeGreaterThan(0);
    throttle.succeeded(at('ada'));
    expect(throttle.wait(at('ada'), 100)).toBe(0);
  });

  it('counts failures per window after the last one, not forever', () => {
    const throttle = new MemorySignInThrottle({ freeFailures: 2, windowSeconds: 60 });
    throttle.failed(at('ada'), 100);
    throttle.failed(at('ada'), 161);
    expect(throttle.wait(at('ada'), 161)).toBe(0);
  });

  it('stops one address spraying many accounts, for that address only', () => {
    const throttle = new MemorySignInThrottle({ addressLimit: 20, windowSeconds: 900 });
    for (let i = 0; i < 20; i++) {
      expect(throttle.wait(at(`user${i}`, '203.0.113.9'), 100)).toBe(0);
      throttle.failed(at(`user${i}`, '203.0.113.9'), 100);
    }
    expect(throttle.wait(at('someone-else', '203.0.113.9'), 100)).toBe(900);
    expect(throttle.wait(at('someone-else', '203.0.113.10'), 100)).toBe(0);
    expect(throttle.wait(at('someone-else', '203.0.113.9'), 1000)).toBe(0);
  });

  it('counts an IPv6 client per /64', () => {
    expect(addressBucket('2001:db8:1:2:aaaa::1')).toBe('2001:db8:1:2::/64');
    expect(addressBucket('2001:0db8:0001:0002:ffff:0:0:9')).toBe('2001:db8:1:2::/64');
    expect(addressBucket('::1')).toBe('0:0:0:0::/64');
    expect(addressBucket('fe80::1%eth0')).toBe('fe80:0:0:0::/64');
    expect(addressBucket('192.0.2.1')).toBe('192.0.2.1');
    const throttle = new MemorySignInThrottle({ addressLimit: 3 });
    for (let i = 1; i <= 3; i++) throttle.failed(at(`user${i}`, `2001:db8:1:2::${i}`), 100);
    expect(throttle.wait(at('other', '2001:db8:1:2:ffff::1'), 100)).toBeGreaterThan(0);
    expect(throttle.wait(at('other', '2001:db8:1:3::1'), 100)).toBe(0);
  });

  it('keeps memory bounded under 200 000 distinct 64 KB usernames from as many addresses: fixed-size keys, a capped count', () => {
    const cap = 5000;
    const throttle = new MemorySignInThrottle({ maxEntries: cap });
    const filler = 'x'.repeat(64 * 1024 - 8);
    for (let i = 0; i < 200_000; i++) {
      const address = `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`;
      throttle.failed({ account: `${i.toString(36).padStart(8, '0')}${filler}`, address }, 1000);
    }
    // Two kinds (pair, address) × two segments, each at most `cap`; one-off failures sit in one segment.
    expect(throttle.pairs.size).toBeLessThanOrEqual(cap);
    expect(throttle.addresses.size).toBeLessThanOrEqual(cap);
    expect(throttle.size).toBeLessThanOrEqual(4 * cap);
    for (const key of [...throttle.pairs.keys(), ...throttle.addresses.keys()]) expect(key).toHaveLength(22);
  }, 60_000);

  it('keeps a real lockout through a flood of other keys (it does not clear everything at the cap)', () => {
    const throttle = new MemorySignInThrottle({ maxEntries: 1000, freeFailures: 5 });
    for (let i = 0; i < 5; i++) throttle.failed(at('victim', '198.51.100.1'), 1000);
    expect(throttle.wait(at('victim', '198.51.100.1'), 1000)).toBeGreaterThan(0);
    for (let i = 0; i < 50_000; i++) throttle.failed({ account: `flood${i}`, address: `10.0.${(i >> 8) & 255}.${i & 255}` }, 1000);
    expect(throttle.pairs.size).toBeLessThanOrEqual(2000);
    expect(throttle.wait(at('victim', '198.51.100.1'), 1000)).toBeGreaterThan(0);
  });

  it('sweeps expired counters as new failures arrive, and drops the next to expire when full', () => {
    const counters = new FailureCounters(60, 5, 100);
    for (let i = 0; i < 50; i++) counters.fail(`old${i}`, 1000);
    expect(counters.size).toBe(50);
    // Each write sweeps a few expired counters from the front.
    for (let i = 0; i < 10; i++) counters.fail(`new${i}`, 1061);
    expect(counters.size).toBe(10);
    expect(counters.get('old0', 1061)).toBeUndefined();
    for (let i = 0; i < 150; i++) counters.fail(`more${i}`, 1070);
    expect(counters.size).toBe(100);
    expect(counters.get('new9', 1070)).toBeUndefined();
    expect(counters.get('more49', 1070)).toBeUndefined();
    expect(counters.get('more50', 1070)).toBeDefined();
    expect(counters.get('more149', 1070)).toBeDefined();
  });
});
