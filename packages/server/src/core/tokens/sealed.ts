/**
 * Self-contained opaque access tokens: `<prefix><base64url box><6 chars of checksum>`.
 *
 * The box carries the token's own record (client, user, grant, family, scopes, workspaces,
 * resource, times), encrypted and authenticated with AES-256-GCM, so issuing an access token
 * writes nothing and checking one needs no token read (RFC 6749 §1.4 leaves the format to the
 * server; to the client it stays an opaque string). Revocation is the revocation list's job
 * (`revocationSubject` in stores.ts): the token, its family, grant, user and client are probed
 * there in one indexed read.
 *
 * Each token is encrypted under its own key, HMAC-SHA-256(master key, 16 random bytes), with a
 * fixed nonce: with a fresh key per token, a repeated nonce cannot happen, so there is no limit on
 * how many tokens one master key seals (random 96-bit nonces under one key are limited to 2^32).
 * The random bytes double as the token's `jti`.
 */
import { createCipheriv, createDecipheriv, createHmac } from 'node:crypto';
import type { TokenRecord } from '../model.js';
import { revocationSubject } from '../stores.js';
import { checksum, CHECKSUM_LENGTH, randomBytes, sha256 } from './opaque.js';

const VERSION = 1;
const SALT_LENGTH = 16;
const TAG_LENGTH = 16;
const NONCE = Buffer.alloc(12);
/** Far above any real token (hundreds of workspaces); bounds the work a forged value can cause. */
const MAX_LENGTH = 8192;
const BASE64URL = /^[A-Za-z0-9_-]+$/;

/** What a sealed access token says about itself: the fields of its record that it carries. */
export type SealedAccessToken = Pick<
  TokenRecord,
  'jti' | 'clientId' | 'userId' | 'grantId' | 'familyId' | 'scopes' | 'workspaceIds' | 'resource' | 'authTime' | 'expiresAt'
> & { issuedAt: number };

/** The record a sealed access token stands for (it is stored nowhere, so never revoked or rotated here). */
function sealedRecord(token: SealedAccessToken, tokenHash: string): TokenRecord {
  return {
    tokenHash,
    kind: 'access',
    jti: token.jti,
    clientId: token.clientId,
    userId: token.userId,
    grantId: token.grantId,
    familyId: token.familyId,
    scopes: token.scopes,
    workspaceIds: token.workspaceIds,
    resource: token.resource,
    authTime: token.authTime,
    sessionId: null,
    createdAt: token.issuedAt,
    expiresAt: token.expiresAt,
    revokedAt: null,
    rotatedAt: null,
    successorBox: null,
    familyExpiresAt: null,
  };
}

/**
 * What checking a sealed token needs, worked out once when it is opened: the keyring remembers it
 * for tokens presented again. Frozen, because one answer is shared by every request that presents
 * the same token.
 */
export interface OpenedAccessToken {
  token: SealedAccessToken;
  record: TokenRecord;
  /** The token, its family and client, and its grant and user when it has them (see `revocationSubject`). */
  revocationSubjects: readonly string[];
}

export function describeOpened(token: SealedAccessToken, value: string): OpenedAccessToken {
  const subjects = [revocationSubject.token(token.jti), revocationSubject.family(token.familyId), revocationSubject.client(token.clientId)];
  if (token.grantId !== null) subjects.push(revocationSubject.grant(token.grantId));
  if (token.userId !== null) subjects.push(revocationSubject.user(token.userId));
  Object.freeze(token.scopes);
  Object.freeze(token.workspaceIds);
  return Object.freeze({ token: Object.freeze(token), record: Object.freeze(sealedRecord(token, sha256(value))), revocationSubjects: Object.freeze(subjects) });
}

type Payload = [string, string | null, string | null, string, string, string[], string | null, number | null, number, number];

const tokenKey = (masterKey: Buffer, salt: Buffer): Buffer => createHmac('sha256', masterKey).update(salt).digest();

/**
 * `<prefix><base64url of version, salt, ciphertext, tag><checksum>`: `plaintext` encrypted under
 * HMAC-SHA-256(masterKey, salt), `aad` authenticated with it. Sealed access tokens and sealed
 * authorization codes (sealed-code.ts) are both boxes, told apart by their `aad`.
 */
export function sealBox(masterKey: Buffer, prefix: string, aad: Buffer, plaintext: string): { value: string; salt: Buffer } {
  const salt = randomBytes(SALT_LENGTH);
  const cipher = createCipheriv('aes-256-gcm', tokenKey(masterKey, salt), NONCE);
  cipher.setAAD(aad);
  const body = Buffer.concat([Buffer.of(VERSION), salt, cipher.update(plaintext, 'utf8'), cipher.final(), cipher.getAuthTag()]);
  const head = prefix + body.toString('base64url');
  return { value: head + checksum(head), salt };
}

/** The plaintext of a box and its salt, or undefined when it is malformed, forged, sealed with another `aad` or under another key. */
export function openBox(masterKey: Buffer, prefix: string, aad: Buffer, value: string): { plaintext: string; salt: Buffer } | undefined {
  if (!looksSealed(value, prefix)) return undefined;
  const body = Buffer.from(value.slice(prefix.length, -CHECKSUM_LENGTH), 'base64url');
  if (body.length < 1 + SALT_LENGTH + TAG_LENGTH + 2 || body[0] !== VERSION) return undefined;
  const salt = body.subarray(1, 1 + SALT_LENGTH);
  try {
    const decipher = createDecipheriv('aes-256-gcm', tokenKey(masterKey, salt), NONCE);
    decipher.setAAD(aad);
    decipher.setAuthTag(body.subarray(body.length - TAG_LENGTH));
    const plaintext = Buffer.concat([decipher.update(body.subarray(1 + SALT_LENGTH, body.length - TAG_LENGTH)), decipher.final()]).toString('utf8');
    return { plaintext, salt };
  } catch {
    return undefined;
  }
}

export function sealAccessToken(masterKey: Buffer, prefix: string, token: Omit<SealedAccessToken, 'jti'>): { value: string; jti: string } {
  const payload: Payload = [
    token.clientId,
    token.userId,
    token.grantId,
    token.familyId,
    token.scopes.join(' '),
    token.workspaceIds,
    token.resource,
    token.authTime,
    token.issuedAt,
    token.expiresAt,
  ];
  const { value, salt } = sealBox(masterKey, prefix, Buffer.from(prefix), JSON.stringify(payload));
  return { value, jti: salt.toString('base64url') };
}

/** Cheap shape and checksum test; a false answer needs no decryption. */
export function looksSealed(value: string, prefix: string): boolean {
  if (value.length > MAX_LENGTH || value.length < prefix.length + CHECKSUM_LENGTH + 64 || !value.startsWith(prefix)) return false;
  const head = value.slice(0, -CHECKSUM_LENGTH);
  return BASE64URL.test(head.slice(prefix.length)) && checksum(head) === value.slice(-CHECKSUM_LENGTH);
}

/** The token's contents, or undefined when it is malformed, forged or sealed under another key. Expiry is the caller's check. */
export function openAccessToken(masterKey: Buffer, prefix: string, value: string): SealedAccessToken | undefined {
  const opened = openBox(masterKey, prefix, Buffer.from(prefix), value);
  if (!opened) return undefined;
  try {
    const [clientId, userId, grantId, familyId, scope, workspaceIds, resource, authTime, issuedAt, expiresAt] = JSON.parse(opened.plaintext) as Payload;
    return {
      jti: opened.salt.toString('base64url'),
      clientId,
      userId,
      grantId,
      familyId,
      scopes: scope === '' ? [] : scope.split(' '),
      workspaceIds,
      resource,
      authTime,
      issuedAt,
      expiresAt,
    };
  } catch {
    return undefined;
  }
}
