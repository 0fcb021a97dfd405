/**
 * Finding the stored record behind a presented token. Opaque tokens failing the checksum and
 * JWTs failing signature verification are rejected without a database read. An ID token is never
 * a credential (OIDC Core §2, RFC 9068 §4): a JWT whose `typ` is not `at+jwt` resolves to nothing,
 * before its signature is checked.
 */
import { decodeProtectedHeader, jwtVerify, type JWTPayload } from 'jose';
import type { CoreDeps } from '../deps.js';
import type { TokenRecord, User } from '../model.js';
import { isWellFormedOpaque, sha256 } from './opaque.js';
import { looksSealed } from './sealed.js';

/**
 * `sealed`: a self-contained access token; its record was opened from the token, not read from
 * storage. `user`: the token's user, read only when asked for (`withUser`) and the token has one.
 */
export type ResolvedToken = { kind: 'access' | 'refresh'; record: TokenRecord; sealed: boolean; user?: User | undefined };

export interface ResolveOptions {
  /** Also read the token's user (in the same read as the revocation probe, for sealed tokens). */
  withUser?: boolean;
}

const looksLikeJwt = (value: string): boolean => value.length < 8192 && /^[\w-]+\.[\w-]+\.[\w-]+$/.test(value);

/** RFC 9068 §4: `typ` is `at+jwt`, compared case-insensitively, with or without `application/`. */
const isAccessTokenTyp = (typ: unknown): boolean => typeof typ === 'string' && /^(application\/)?at\+jwt$/i.test(typ);

/** One of this server's JWT access tokens, signature checked; anything else (an ID token among them) is undefined. */
async function verifyOwnJwt(deps: CoreDeps, value: string): Promise<JWTPayload | undefined> {
  try {
    const header = decodeProtectedHeader(value);
    if (!header.kid || !isAccessTokenTyp(header.typ)) return undefined;
    let key = deps.keys.verifier(header.kid);
    if (!key) {
      await deps.keys.maybeReload(deps.now(), true);
      key = deps.keys.verifier(header.kid);
    }
    if (!key) return undefined;
    const { payload } = await jwtVerify(value, key.key, {
      issuer: deps.config.issuer,
      algorithms: [key.alg],
      currentDate: new Date(deps.now() * 1000),
    });
    return payload;
  } catch {
    return undefined;
  }
}

/** A sealed access token whose token, family, grant, user and client have not been revoked since it was issued. */
async function resolveSealed(deps: CoreDeps, value: string, now: number, withUser: boolean): Promise<ResolvedToken | undefined> {
  const opened = deps.keys.openAccessToken(value, deps.config.prefixes.accessToken);
  if (!opened || opened.token.expiresAt <= now) return undefined;
  const { revocationSubjects, token, record } = opened;
  if (withUser && token.userId !== null) {
    const { revoked, user } = await deps.stores.revokedSinceWithUser(revocationSubjects, token.issuedAt, token.userId);
    return revoked ? undefined : { kind: 'access', record, sealed: true, user };
  }
  if (await deps.stores.anyRevokedSince(revocationSubjects, token.issuedAt)) return undefined;
  return { kind: 'access', record, sealed: true };
}

/** A live (unexpired, unrevoked, not rotated-out) token this server issued, or undefined. */
export async function resolveToken(deps: CoreDeps, value: string | undefined, options: ResolveOptions = {}): Promise<ResolvedToken | undefined> {
  if (!value) return undefined;
  const { prefixes } = deps.config;
  const now = deps.now();
  const withUser = options.withUser === true;
  if (looksSealed(value, prefixes.accessToken)) return resolveSealed(deps, value, now, withUser);
  let tokenHash: string | undefined;
  // Opaque access tokens are sealed (above), never stored: an opaque token read by hash is a refresh token.
  if (isWellFormedOpaque(value, prefixes.refreshToken)) {
    tokenHash = sha256(value);
  } else if (looksLikeJwt(value)) {
    if (!(await verifyOwnJwt(deps, value))) return undefined;
    tokenHash = sha256(value);
  } else {
    return undefined;
  }
  const record = await deps.stores.findToken(tokenHash);
  if (!record || record.revokedAt !== null || record.expiresAt <= now) return undefined;
  if (record.kind === 'refresh' && (record.rotatedAt !== null || (record.familyExpiresAt !== null && record.familyExpiresAt <= now))) return undefined;
  if (withUser && record.userId !== null) return { kind: record.kind, record, sealed: false, user: await deps.stores.findUserById(record.userId) };
  return { kind: record.kind, record, sealed: false };
}

export async function resolveAccessToken(deps: CoreDeps, value: string | undefined): Promise<TokenRecord | undefined> {
  const resolved = await resolveToken(deps, value);
  return resolved?.kind === 'access' ? resolved.record : undefined;
}

/** RFC 6750 §2.1: `Authorization: Bearer <token>`, scheme case-insensitive. */
export function bearerToken(authorization: string | undefined): string | undefined {
  if (!authorization) return undefined;
  const match = /^bearer +([A-Za-z0-9\-._~+/]+=*) *$/i.exec(authorization);
  return match?.[1];
}
