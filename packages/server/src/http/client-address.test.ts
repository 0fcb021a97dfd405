import { describe, expect, it } from 'vitest';
import { resolveClientAddress, trustedProxyList } from './client-address.js';

describe('client address', () => {
  const proxies = trustedProxyList(['10.0.0.0/8', '127.0.0.1', 'fd00::/8']);

  it('is the socket peer when no proxy is trusted, or the peer is not one', () => {
    expect(resolveClientAddress('203.0.113.1', '192.0.2.9', undefined)).toBe('203.0.113.1');
    expect(resolveClientAddress('203.0.113.1', '192.0.2.9', proxies)).toBe('203.0.113.1');
    expect(resolveClientAddress('::ffff:203.0.113.1', undefined, proxies)).toBe('203.0.113.1');
    expect(resolveClientAddress(undefined, '192.0.2.9', proxies)).toBe('unknown');
  });

  it('is the right-most forwarded address that is not a trusted proxy', () => {
    expect(resolveClientAddress('10.1.1.1', '198.51.100.1, 203.0.113.7', proxies)).toBe('203.0.113.7');
    expect(resolveClientAddress('10.1.1.1', '198.51.100.1, 203.0.113.7, 10.2.2.2', proxies)).toBe('203.0.113.7');
    expect(resolveClientAddress('::ffff:127.0.0.1', '2001:db8::5, fd00::1', proxies)).toBe('2001:db8::5');
    // Only proxies in the chain: the left-most of them.
    expect(resolveClientAddress('10.1.1.1', '10.3.3.3, 10.2.2.2', proxies)).toBe('10.3.3.3');
    // Garbage a proxy did not write: the last address a trusted proxy vouched for.
    expect(resolveClientAddress('10.1.1.1', 'not-an-ip, 10.2.2.2', proxies)).toBe('10.2.2.2');
    expect(resolveClientAddress('10.1.1.1', 'not-an-ip', proxies)).toBe('10.1.1.1');
  });
});
