/**
 * Minting access, refresh and ID tokens. Values leave this module once, in the token response;
 * only their hashes are stored.
 */
import { createHash } from 'node:crypto';
import { SignJWT } from 'jose';
import type { CoreDeps } from '../deps.js';
import type { Client, TokenRecord, User } from '../model.js';
import { formatScope } from '../params.js';
import { generateOpaque, randomId, sha256 } from './opaque.js';
import { claimsForScopes } from '../claims.js';
import { sealAccessToken } from './sealed.js';

/** What every token of a grant shares; the record fields come straight from it. */
export type TokenContext = { client: Client } & Pick<
  TokenRecord,
  'userId' | 'grantId' | 'familyId' | 'scopes' | 'workspaceIds' | 'resource' | 'authTime' | 'sessionId'
>;

export interface Minted {
  value: string;
  /** The row to store; null for sealed opaque access tokens, which carry their record and are stored nowhere. */
  record: TokenRecord | null;
}

export const accessTokenTtl = (deps: CoreDeps, client: Client): number => client.accessTokenTtl ?? deps.config.lifetimes.accessToken;
export const refreshTokenTtl = (deps: CoreDeps, client: Client): number => client.refreshTokenTtl ?? deps.config.lifetimes.refreshToken;

function baseRecord(context: TokenContext, now: number): Omit<TokenRecord, 'tokenHash' | 'kind' | 'jti' | 'expiresAt'> {
  return {
    clientId: context.client.id,
    userId: context.userId,
    grantId: context.grantId,
    familyId: context.familyId,
    scopes: context.scopes,
    workspaceIds: context.workspaceIds,
    resource: context.resource,
    authTime: context.authTime,
    sessionId: context.sessionId,
    createdAt: now,
    revokedAt: null,
    rotatedAt: null,
    successorBox: null,
    familyExpiresAt: null,
  };
}

/**
 * Opaque (sealed, stored nowhere: see sealed.ts) by default; RFC 9068 JWT (`typ: at+jwt`) when the
 * client asks for it. A JWT is stored by its hash, so revocation is honoured by introspection,
 * validate and userinfo.
 */
export async function mintAccessToken(deps: CoreDeps, context: TokenContext, now: number): Promise<Minted> {
  const expiresAt = now + accessTokenTtl(deps, context.client);
  if (context.client.accessTokenFormat !== 'jwt') {
    // Written out rather than spread from baseRecord's fields: this runs on every client_credentials request, and the spread showed in its profile.
    const contents = {
      clientId: context.client.id,
      userId: context.userId,
      grantId: context.grantId,
      familyId: context.familyId,
      scopes: context.scopes,
      workspaceIds: context.workspaceIds,
      resource: context.resource,
      authTime: context.authTime,
      issuedAt: now,
      expiresAt,
    };
    return { value: sealAccessToken(deps.keys.sealingKey(), deps.config.prefixes.accessToken, contents).value, record: null };
  }
  const jti = randomId();
  const signer = deps.keys.signer('RS256');
  const value = await new SignJWT({
    client_id: context.client.id,
    scope: formatScope(context.scopes),
    ...(context.authTime !== null ? { auth_time: context.authTime } : {}),
    ...(context.workspaceIds.length > 0 ? { workspaces: context.workspaceIds } : {}),
  })
    .setProtectedHeader({ alg: 'RS256', typ: 'at+jwt', kid: signer.kid })
    .setIssuer(deps.config.issuer)
    .setSubject(context.userId ?? context.client.id)
    .setAudience(context.resource ?? context.client.id)
    .setIssuedAt(now)
    .setExpirationTime(expiresAt)
    .setJti(jti)
    .sign(signer.key);
  return { value, record: { ...baseRecord(context, now), tokenHash: sha256(value), kind: 'access', jti, expiresAt } };
}

export function mintRefreshToken(deps: CoreDeps, context: TokenContext, now: number, familyExpiresAt: number): Minted & { record: TokenRecord } {
  const value = generateOpaque(deps.config.prefixes.refreshToken);
  const expiresAt = Math.min(now + refreshTokenTtl(deps, context.client), familyExpiresAt);
  return {
    value,
    record: { ...baseRecord(context, now), tokenHash: sha256(value), kind: 'refresh', jti: randomId(), expiresAt, familyExpiresAt },
  };
}

/** OpenID Connect Core §3.1.3.6: left half of the SHA-256 of the access token (RS256 and ES256 both use SHA-256). */
export function atHash(accessToken: string): string {
  return createHash('sha256').update(accessToken).digest().subarray(0, 16).toString('base64url');
}

/** OpenID Connect Core §2 and §3.1.3.6. */
export async function mintIdToken(
  deps: CoreDeps,
  input: { client: Client; user: User; scopes: string[]; nonce: string | null; authTime: number | null; sessionId: string | null; accessToken: string },
  now: number,
): Promise<string> {
  const signer = deps.keys.signer(input.client.idTokenSignedResponseAlg);
  const claims: Record<string, unknown> = {
    ...claimsForScopes(deps, input.user, input.scopes),
    azp: input.client.id,
    at_hash: atHash(input.accessToken),
  };
  if (input.nonce !== null) claims.nonce = input.nonce;
  if (input.authTime !== null) claims.auth_time = input.authTime;
  if (input.sessionId !== null) claims.sid = input.sessionId;
  return new SignJWT(claims)
    .setProtectedHeader({ alg: signer.alg, typ: 'JWT', kid: signer.kid })
    .setIssuer(deps.config.issuer)
    .setSubject(input.user.id)
    .setAudience(input.client.id)
    .setIssuedAt(now)
    .setExpirationTime(now + deps.config.lifetimes.idToken)
    .setJti(randomId())
    .sign(signer.key);
}
