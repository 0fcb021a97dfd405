/** Domain records as the protocol engine sees them. Times are Unix seconds. */
import type { TokenEndpointAuthMethod } from './client-auth/methods.js';
import type { GrantType } from './grants/registry.js';

/** Derived from the registries that own the lists: `grants/registry.ts`, `client-auth/methods.ts`. */
export type { GrantType, TokenEndpointAuthMethod };

export type WorkspaceRole = 'owner' | 'admin' | 'member';
export const workspaceRoles: readonly WorkspaceRole[] = ['owner', 'admin', 'member'];

export interface User {
  id: string;
  username: string;
  email: string | null;
  emailVerified: boolean;
  name: string | null;
  picture: string | null;
  isAdmin: boolean;
  disabledAt: number | null;
  createdAt: number;
  updatedAt: number;
}

export interface Workspace {
  id: string;
  name: string;
  slug: string;
  createdAt: number;
}

export interface WorkspaceMembership extends Workspace {
  role: WorkspaceRole;
}

export interface WorkspaceMember {
  userId: string;
  username: string;
  name: string | null;
  role: WorkspaceRole;
  joinedAt: number;
}

export interface Scope {
  name: string;
  description: string;
  requiresWorkspace: boolean;
  builtin: boolean;
}

export type Visibility = 'internal' | 'unlisted' | 'public';
export const visibilities: readonly Visibility[] = ['internal', 'unlisted', 'public'];

export type SigningAlg = 'RS256' | 'ES256';
export const signingAlgs: readonly SigningAlg[] = ['RS256', 'ES256'];

export type AccessTokenFormat = 'opaque' | 'jwt';

export interface Client {
  id: string;
  name: string;
  description: string | null;
  homepageUrl: string | null;
  logoUrl: string | null;
  redirectUris: string[];
  tokenEndpointAuthMethod: TokenEndpointAuthMethod;
  scopes: string[];
  grantTypes: GrantType[];
  visibility: Visibility;
  ownerUserId: string | null;
  ownerWorkspaceId: string | null;
  /** Seconds; null means the server default. */
  accessTokenTtl: number | null;
  refreshTokenTtl: number | null;
  idTokenSignedResponseAlg: SigningAlg;
  accessTokenFormat: AccessTokenFormat;
  verified: boolean;
  /**
   * Set by an administrator only: the client is a resource server and may introspect access
   * tokens issued to other clients (RFC 7662 §2.2, §4). See `core/tokens/may-introspect.ts`.
   */
  resourceServer: boolean;
  createdAt: number;
  updatedAt: number;
}

export interface ClientSecret {
  id: string;
  clientId: string;
  /** SHA-256 of the secret, base64url. */
  secretHash: string;
  /** The first characters, safe to show ("gcs_AbC…"). */
  displayPrefix: string;
  createdAt: number;
  /** Null while the secret is current; set when rotation gives it a grace period. */
  expiresAt: number | null;
}

export type KeyState = 'next' | 'current' | 'retired';

export interface SigningKey {
  kid: string;
  alg: SigningAlg;
  state: KeyState;
  /** Public JWK as JSON. */
  publicJwk: string;
  /** Private JWK as JSON, or an encrypted envelope when a key secret is configured. */
  privateJwk: string;
  createdAt: number;
  activatedAt: number | null;
  retiredAt: number | null;
}

export interface Session {
  /** SHA-256 of the cookie value. */
  idHash: string;
  userId: string;
  authTime: number;
  createdAt: number;
  expiresAt: number;
}

/** A remembered consent: one per user and client. */
export interface Grant {
  id: string;
  userId: string;
  clientId: string;
  scopes: string[];
  workspaceIds: string[];
  createdAt: number;
  updatedAt: number;
  lastUsedAt: number | null;
  revokedAt: number | null;
}

/** A pending authorization request, parked while the user signs in or consents. */
export interface Interaction {
  idHash: string;
  clientId: string;
  /** The validated authorization request, as JSON. */
  request: string;
  createdAt: number;
  expiresAt: number;
}

export interface AuthorizationCode {
  codeHash: string;
  clientId: string;
  userId: string;
  grantId: string;
  redirectUri: string;
  codeChallenge: string;
  nonce: string | null;
  scopes: string[];
  workspaceIds: string[];
  resource: string | null;
  authTime: number;
  sessionId: string | null;
  createdAt: number;
  expiresAt: number;
  usedAt: number | null;
}

export type TokenKind = 'access' | 'refresh';

export interface TokenRecord {
  /** SHA-256 of the token (or of the JWT), base64url. */
  tokenHash: string;
  kind: TokenKind;
  /** Public identifier, reported as `jti`. */
  jti: string;
  clientId: string;
  /** Null for client credentials tokens. */
  userId: string | null;
  grantId: string | null;
  /** All tokens descending from one code redemption (or one client credentials request). */
  familyId: string;
  scopes: string[];
  workspaceIds: string[];
  /** RFC 8707 resource the token is for, when one was requested. */
  resource: string | null;
  authTime: number | null;
  sessionId: string | null;
  createdAt: number;
  expiresAt: number;
  revokedAt: number | null;
  /** Refresh tokens: when rotation replaced this token. */
  rotatedAt: number | null;
  /** Refresh tokens: the successor's response, encrypted under a key only the old token's holder can derive. */
  successorBox: string | null;
  /** Refresh tokens: absolute end of the family, which rotation never extends. */
  familyExpiresAt: number | null;
}
