import { SignJWT, jwtVerify } from 'jose';
import { afterEach, describe, expect, it } from 'vitest';
import { testDatabases, type TestDatabase } from '../../testing/databases.js';
import { sealAccessToken } from '../tokens/sealed.js';
import { KeyRing, listSigningKeys, rotateSigningKeys } from './keyring.js';

describe.each(testDatabases())('signing keys on $name', (factory) => {
  let database: TestDatabase | undefined;
  afterEach(async () => {
    await database?.close();
    database = undefined;
  });

  it('creates a current and a next key per algorithm and publishes both before next signs', async () => {
    database = await factory.open();
    const ring = new KeyRing(database.stores, undefined);
    await ring.init(1000);
    const keys = await listSigningKeys(database.stores);
    expect(keys.map((key) => `${key.alg}:${key.state}`).sort()).toEqual(['ES256:current', 'ES256:next', 'RS256:current', 'RS256:next']);
    const published = ring.jwks().keys.map((key) => key.kid);
    for (const key of keys) expect(published).toContain(key.kid);
  });

  it('rotates next → current → retired; retired keys stay published and still verify', async () => {
    database = await factory.open();
    const ring = new KeyRing(database.stores, undefined);
    await ring.init(1000);
    const before = await listSigningKeys(database.stores);
    const oldCurrent = before.find((key) => key.alg === 'ES256' && key.state === 'current')!;
    const oldNext = before.find((key) => key.alg === 'ES256' && key.state === 'next')!;
    const signedBefore = await new SignJWT({}).setProtectedHeader({ alg: 'ES256', kid: ring.signer('ES256').kid }).sign(ring.signer('ES256').key);

    const rotated = await rotateSigningKeys(database.stores, { alg: 'ES256', keySecret: undefined, now: 2000 });
    expect(rotated.kid).toBe(oldNext.kid);
    await ring.maybeReload(2000, true);
    expect(ring.signer('ES256').kid).toBe(oldNext.kid);
    const after = await listSigningKeys(database.stores);
    expect(after.find((key) => key.kid === oldCurrent.kid)?.state).toBe('retired');
    expect(after.filter((key) => key.alg === 'ES256' && key.state === 'next')).toHaveLength(1);
    expect(ring.jwks().keys.map((key) => key.kid)).toContain(oldCurrent.kid);
    await expect(jwtVerify(signedBefore, ring.verifier(oldCurrent.kid)!.key)).resolves.toBeDefined();
  });

  it('stores private keys sealed when a key secret is set, and refuses to load them without it', async () => {
    database = await factory.open();
    const secret = 'a-very-long-key-secret-for-tests-0123456789';
    await new KeyRing(database.stores, secret).init(1000);
    const stored = await database.stores.listKeys();
    for (const key of stored) {
      expect(key.privateJwk.startsWith('v1.')).toBe(true);
      expect(key.privateJwk).not.toContain('"d"');
    }
    await expect(new KeyRing(database.stores, undefined).init(1000)).rejects.toThrow(/GATEHOUSE_KEY_SECRET/);
    await expect(new KeyRing(database.stores, 'another-secret-that-is-also-long-enough-000').init(1000)).rejects.toThrow(/cannot be decrypted/);
  });

  it('shares one access-token key between instances, sealed when a key secret is set', async () => {
    database = await factory.open();
    const secret = 'a-very-long-key-secret-for-tests-0123456789';
    const first = new KeyRing(database.stores, secret);
    const second = new KeyRing(database.stores, secret);
    await Promise.all([first.init(1000), second.init(1000)]);
    expect(first.sealingKey().equals(second.sealingKey())).toBe(true);
    expect(first.sealingKey()).toHaveLength(32);
    const stored = await database.stores.getOrCreateSetting('access_token_key.v1', 'unused');
    expect(stored.startsWith('v1.')).toBe(true);
    await expect(new KeyRing(database.stores, undefined).init(1000)).rejects.toThrow(/GATEHOUSE_KEY_SECRET/);

    // What one instance seals, the other opens; forgeries are not remembered as tokens.
    const contents = { clientId: 'c', userId: null, grantId: null, familyId: 'f', scopes: ['a'], workspaceIds: [], resource: null, authTime: null, issuedAt: 1, expiresAt: 2 };
    const { value, jti } = sealAccessToken(first.sealingKey(), 'gat_', contents);
    const opened = second.openAccessToken(value, 'gat_');
    expect(opened?.token).toEqual({ ...contents, jti });
    expect(opened?.record).toMatchObject({ kind: 'access', jti, clientId: 'c', familyId: 'f', scopes: ['a'], createdAt: 1, expiresAt: 2, revokedAt: null });
    expect(opened?.revocationSubjects).toEqual([`t:${jti}`, 'f:f', 'c:c']);
    // Remembered: the same answer, shared, so it cannot be changed by one of its users.
    expect(second.openAccessToken(value, 'gat_')).toBe(opened);
    expect(Object.isFrozen(opened?.record) && Object.isFrozen(opened?.record.scopes)).toBe(true);
    expect(second.openAccessToken(sealAccessToken(Buffer.alloc(32), 'gat_', contents).value, 'gat_')).toBeUndefined();
  });
});
