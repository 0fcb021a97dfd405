/**
 * Authenticated encryption (AES-256-GCM) under a key derived with HKDF-SHA-256.
 *
 * Two uses: private signing keys at rest (key from GATEHOUSE_KEY_SECRET), and the sealed
 * successor of a rotated refresh token (key from the old refresh token itself, so only its
 * holder can open it and the database alone reveals nothing).
 */
import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';

const VERSION = 'v1';
const SALT = 'gatehouse';

/**
 * HKDF-SHA-256 (RFC 5869) with salt `gatehouse`, info `purpose` and a 32-byte key. Boxes already
 * in databases were sealed under exactly these bytes: seal.test.ts holds vectors from them.
 */
export function deriveKey(secret: string, purpose: string): Buffer {
  return Buffer.from(hkdfSync('sha256', secret, SALT, purpose, 32));
}

export function seal(plaintext: string, secret: string, purpose: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', deriveKey(secret, purpose), iv);
  const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  return [VERSION, iv.toString('base64url'), body.toString('base64url'), cipher.getAuthTag().toString('base64url')].join('.');
}

/** Returns undefined when the box is malformed or the secret is wrong. */
export function open(box: string, secret: string, purpose: string): string | undefined {
  const [version, iv, body, tag] = box.split('.');
  if (version !== VERSION || !iv || !body || !tag) return undefined;
  try {
    const decipher = createDecipheriv('aes-256-gcm', deriveKey(secret, purpose), Buffer.from(iv, 'base64url'));
    decipher.setAuthTag(Buffer.from(tag, 'base64url'));
    return Buffer.concat([decipher.update(Buffer.from(body, 'base64url')), decipher.final()]).toString('utf8');
  } catch {
    return undefined;
  }
}

export const isSealed = (value: string): boolean => value.startsWith(`${VERSION}.`);
