import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { checksum } from './opaque.js';
import { looksSealed, openAccessToken, sealAccessToken, type SealedAccessToken } from './sealed.js';

const key = randomBytes(32);
const contents: Omit<SealedAccessToken, 'jti'> = {
  clientId: 'client-1',
  userId: 'user-1',
  grantId: 'grant-1',
  familyId: 'family-1',
  scopes: ['openid', 'profile', 'api:read'],
  workspaceIds: ['w1', 'w2'],
  resource: 'https://api.example.com/',
  authTime: 1_750_000_000,
  issuedAt: 1_750_000_100,
  expiresAt: 1_750_003_700,
};

/** Re-computes the checksum so a tampered token reaches decryption instead of failing the cheap check. */
const withChecksum = (head: string) => head + checksum(head);

describe('sealed access tokens', () => {
  it('opens what it sealed, with a fresh jti per token', () => {
    const one = sealAccessToken(key, 'gat_', contents);
    const two = sealAccessToken(key, 'gat_', contents);
    expect(one.value).toMatch(/^gat_[A-Za-z0-9_-]+$/);
    expect(one.value).not.toBe(two.value);
    expect(one.jti).not.toBe(two.jti);
    expect(openAccessToken(key, 'gat_', one.value)).toEqual({ ...contents, jti: one.jti });
    const machine = sealAccessToken(key, 'gat_', { ...contents, userId: null, grantId: null, scopes: [], workspaceIds: [], resource: null, authTime: null });
    expect(openAccessToken(key, 'gat_', machine.value)).toMatchObject({ userId: null, grantId: null, scopes: [], workspaceIds: [], resource: null, authTime: null });
  });

  it('reveals nothing of its contents in the clear', () => {
    const { value } = sealAccessToken(key, 'gat_', contents);
    const decoded = Buffer.from(value.slice(4, -6), 'base64url').toString('latin1');
    for (const secret of ['client-1', 'user-1', 'api:read', 'https://api.example.com/']) expect(decoded).not.toContain(secret);
  });

  it('rejects tampering, another key, another prefix, a bad checksum and oversized values', () => {
    const { value } = sealAccessToken(key, 'gat_', contents);
    const head = value.slice(0, -6);
    const middle = Math.floor(head.length / 2);
    const flipped = head.slice(0, middle) + (head[middle] === 'A' ? 'B' : 'A') + head.slice(middle + 1);
    expect(looksSealed(withChecksum(flipped), 'gat_')).toBe(true);
    expect(openAccessToken(key, 'gat_', withChecksum(flipped))).toBeUndefined();
    expect(openAccessToken(randomBytes(32), 'gat_', value)).toBeUndefined();
    // The prefix is authenticated: the same box under another prefix does not open.
    expect(openAccessToken(key, 'xyz_', withChecksum('xyz_' + head.slice(4)))).toBeUndefined();
    expect(looksSealed(head + 'aaaaaa', 'gat_')).toBe(false);
    expect(openAccessToken(key, 'gat_', head + 'aaaaaa')).toBeUndefined();
    expect(openAccessToken(key, 'gat_', withChecksum('gat_' + 'A'.repeat(9000)))).toBeUndefined();
    expect(openAccessToken(key, 'gat_', withChecksum('gat_' + 'A'.repeat(80)))).toBeUndefined();
    expect(openAccessToken(key, 'gat_', 'gat_short')).toBeUndefined();
  });
});
