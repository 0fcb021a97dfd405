/**
 * Opaque credentials: `<prefix><43 chars of base64url randomness><6 chars of checksum>`.
 *
 * The prefix lets secret scanners recognise them; the CRC-32 checksum lets the server reject
 * typos and garbage without a database read (the GitHub token design). Only the SHA-256 of a
 * credential is ever stored (RFC 9700 §4.14, fosite's signature storage).
 */
import { hash, randomFillSync, timingSafeEqual } from 'node:crypto';
import { crc32 } from 'node:zlib';

const BODY_LENGTH = 43; // 32 random bytes in base64url
export const CHECKSUM_LENGTH = 6;

/** Pooled CSPRNG output: a call's fixed cost outweighs 16–32 bytes, drawn a few times per token (bench/crypto.mjs). */
const pool = Buffer.allocUnsafe(4096);
let poolOffset = pool.length;

export function randomBytes(size: number): Buffer {
  if (size > pool.length) return randomFillSync(Buffer.allocUnsafe(size));
  if (poolOffset + size > pool.length) {
    randomFillSync(pool);
    poolOffset = 0;
  }
  const bytes = Buffer.from(pool.subarray(poolOffset, poolOffset + size));
  poolOffset += size;
  return bytes;
}

export function checksum(text: string): string {
  const value = crc32(text) >>> 0;
  return value.toString(36).padStart(CHECKSUM_LENGTH, '0').slice(-CHECKSUM_LENGTH);
}

export function generateOpaque(prefix: string): string {
  const head = prefix + randomBytes(32).toString('base64url');
  return head + checksum(head);
}

const BASE64URL = /^[A-Za-z0-9_-]+$/;

/** Cheap shape and checksum test; a false answer needs no database read. */
export function isWellFormedOpaque(value: string, prefix: string): boolean {
  if (value.length !== prefix.length + BODY_LENGTH + CHECKSUM_LENGTH || !value.startsWith(prefix)) return false;
  const head = value.slice(0, prefix.length + BODY_LENGTH);
  if (!BASE64URL.test(head.slice(prefix.length))) return false;
  return checksum(head) === value.slice(-CHECKSUM_LENGTH);
}

/** SHA-256, base64url: the lookup key stored for every secret, code and token. */
export function sha256(value: string): string {
  return hash('sha256', value, 'base64url');
}

/** Constant-time string comparison (lengths may differ). */
export function safeEqual(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  if (left.length !== right.length) {
    timingSafeEqual(left, left);
    return false;
  }
  return timingSafeEqual(left, right);
}

/** A random identifier for records and public ids (`jti`), base64url. */
export function randomId(bytes = 16): string {
  return randomBytes(bytes).toString('base64url');
}

/** What the dashboard may show of a secret: prefix and a few characters. */
export function displayPrefix(value: string, prefix: string): string {
  return value.slice(0, prefix.length + 4) + '…';
}
