import { createCipheriv, hkdfSync, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { deriveKey, open, seal } from './seal.js';

/** A box as the hkdfSync-based version of seal() wrote it, so boxes stored before the change still open. */
function sealWithHkdfSync(plaintext: string, secret: string, purpose: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', Buffer.from(hkdfSync('sha256', secret, 'gatehouse', purpose, 32)), iv);
  const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  return ['v1', iv.toString('base64url'), body.toString('base64url'), cipher.getAuthTag().toString('base64url')].join('.');
}

describe('seal', () => {
  it('derives the same key as HKDF-SHA-256 from node:crypto', () => {
    const secrets = ['grt_' + randomBytes(32).toString('base64url'), 'a', 'pässwörd ✓', randomBytes(200).toString('hex')];
    for (const secret of secrets) {
      for (const purpose of ['refresh-successor', 'signing-key', 'access-token-key', '']) {
        expect(deriveKey(secret, purpose).equals(Buffer.from(hkdfSync('sha256', secret, 'gatehouse', purpose, 32)))).toBe(true);
      }
    }
  });

  it('opens what it sealed, and boxes sealed before the key derivation changed', () => {
    const secret = 'grt_' + randomBytes(32).toString('base64url');
    expect(open(seal('successor', secret, 'refresh-successor'), secret, 'refresh-successor')).toBe('successor');
    expect(open(sealWithHkdfSync('successor', secret, 'refresh-successor'), secret, 'refresh-successor')).toBe('successor');
  });

  it('refuses another secret, another purpose and a tampered box', () => {
    const box = seal('successor', 'secret-one', 'refresh-successor');
    expect(open(box, 'secret-two', 'refresh-successor')).toBeUndefined();
    expect(open(box, 'secret-one', 'signing-key')).toBeUndefined();
    const [version, iv, body, tag] = box.split('.');
    const flipped = Buffer.from(body!, 'base64url');
    flipped[0]! ^= 1;
    expect(open([version, iv, flipped.toString('base64url'), tag].join('.'), 'secret-one', 'refresh-successor')).toBeUndefined();
    expect(open('v1.not-a-box', 'secret-one', 'refresh-successor')).toBeUndefined();
  });
});
