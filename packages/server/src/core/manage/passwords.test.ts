import { describe, expect, it } from 'vitest';
import { ValidationError } from '../errors.js';
import { DUMMY_PASSWORD_HASH, checkPasswordPolicy, hashPassword, needsRehash, verifyPassword } from './passwords.js';

describe('passwords', () => {
  it('hashes with argon2id and verifies', async () => {
    const hash = await hashPassword('correct horse battery staple');
    expect(hash).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    expect(await verifyPassword(hash, 'correct horse battery staple')).toBe(true);
    expect(await verifyPassword(hash, 'Correct horse battery staple')).toBe(false);
    expect(needsRehash(hash)).toBe(false);
  });

  it('treats malformed hashes as a mismatch', async () => {
    expect(await verifyPassword('not-a-hash', 'whatever1')).toBe(false);
    expect(needsRehash('not-a-hash')).toBe(true);
    expect(needsRehash('$argon2id$v=19$m=4096,t=3,p=1$c29tZXNhbHQ$8B6RJ+8qM2Y0Eo2g0Yk0eQ')).toBe(true);
  });

  it('has a dummy hash made with the current parameters (equal work for unknown users)', () => {
    expect(needsRehash(DUMMY_PASSWORD_HASH)).toBe(false);
  });

  it('enforces 8-256 characters, counted in code points', () => {
    expect(() => checkPasswordPolicy('short')).toThrow(ValidationError);
    expect(() => checkPasswordPolicy('x'.repeat(257))).toThrow(/at most 256/);
    expect(() => checkPasswordPolicy(undefined)).toThrow(ValidationError);
    expect(checkPasswordPolicy('12345678')).toBe('12345678');
    expect(checkPasswordPolicy('🔑'.repeat(8))).toHaveLength(16);
    expect(() => checkPasswordPolicy('🔑'.repeat(4))).toThrow(/at least 8/);
  });
});
