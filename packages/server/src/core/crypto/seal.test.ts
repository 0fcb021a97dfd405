import { createHmac, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { deriveKey, open, seal } from './seal.js';

const KEY_SECRET = 'a-key-secret-of-at-least-32-characters-000';
const REFRESH_TOKEN = 'grt_3q2-7wAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA';

/** HKDF-SHA-256 for a one-block key (RFC 5869 §2.2–2.3): PRK = HMAC(salt, IKM), OKM = HMAC(PRK, info ‖ 0x01). */
function hkdfOneBlock(secret: string, purpose: string): Buffer {
  const prk = createHmac('sha256', 'gatehouse').update(secret).digest();
  return createHmac('sha256', prk).update(purpose).update(Buffer.of(1)).digest();
}

describe('seal', () => {
  it('derives the keys that sealed the rows already stored (vectors written by the earlier two-HMAC derivation)', () => {
    expect(deriveKey(KEY_SECRET, 'signing-key').toString('hex')).toBe('487b60013742e6e6b7a13fb47b8c22b115202ee8ab03dbb7a470440db7eeb473');
    expect(deriveKey(KEY_SECRET, 'access-token-key').toString('hex')).toBe('c9e66ee86918b709f5b008e97f323f736cb9cfb660511bedc4f294de57740d42');
    expect(deriveKey(REFRESH_TOKEN, 'refresh-successor').toString('hex')).toBe('31b3fc3eb78161841335d73092ee14c7aa30165c1e6394b1c9fc159ea9c2ae21');
  });

  it('derives HKDF-SHA-256 with salt "gatehouse" and the purpose as info, for any secret', () => {
    const secrets = ['grt_' + randomBytes(32).toString('base64url'), 'a', 'pässwörd ✓', randomBytes(200).toString('hex')];
    for (const secret of secrets) {
      for (const purpose of ['refresh-successor', 'signing-key', 'access-token-key', '']) {
        expect(deriveKey(secret, purpose).equals(hkdfOneBlock(secret, purpose))).toBe(true);
      }
    }
  });

  it('opens boxes sealed before the key derivation moved to hkdfSync', () => {
    expect(open('v1.ocUKuIcIEWQ_AZ1q.bF_HJ_LsTb0_k16TwXMpipgYUQ2ZiQ9fCsQ.2T7M6u9vnbPsOXLaAsdJig', KEY_SECRET, 'signing-key')).toBe('{"kty":"EC","d":"private"}');
    expect(open('v1.HL3A4i6MBLblEM0G.lEzydJZ2FSTndlBQEyJq-GBhmQ.0_ZklPEAspzbaXcHJC-qrA', REFRESH_TOKEN, 'refresh-successor')).toBe('grt_successor-token');
  });

  it('opens what it sealed', () => {
    const secret = 'grt_' + randomBytes(32).toString('base64url');
    expect(open(seal('successor', secret, 'refresh-successor'), secret, 'refresh-successor')).toBe('successor');
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
