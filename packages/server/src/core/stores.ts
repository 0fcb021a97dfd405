/**
 * What the protocol engine needs from storage. One implementation lives in `src/storage`
 * (Kysely, SQLite and Postgres); the engine never sees SQL.
 *
 * Secrets, codes and tokens are only ever handed to stores as SHA-256 hashes
 * (fosite's habit: a database leak leaks no working credential).
 */
import type { PurgeOptions } from './housekeeping/policy.js';
import type {
  Client,
  ClientSecret,
  Grant,
  Interaction,
  KeyState,
  Scope,
  Session,
  SigningKey,
  TokenRecord,
  User,
  Workspace,
  WorkspaceMember,
  WorkspaceMembership,
  WorkspaceRole,
} from './model.js';

export interface NewUser {
  username: string;
  passwordHash: string;
  email?: string | null;
  emailVerified?: boolean;
  name?: string | null;
  picture?: string | null;
  isAdmin?: boolean;
}

export interface UserPatch {
  email?: string | null;
  emailVerified?: boolean;
  name?: string | null;
  picture?: string | null;
  passwordHash?: string;
  isAdmin?: boolean;
  disabledAt?: number | null;
}

export interface UserStore {
  /** Throws ConflictError('username') when the name is taken, compared case-insensitively. */
  createUser(input: NewUser): Promise<User>;
  findUserById(id: string): Promise<User | undefined>;
  /** Case-insensitive. */
  findUserByUsername(username: string): Promise<User | undefined>;
  /** The user with the password hash, case-insensitively by name: for checking a password, and nothing else. */
  findCredentials(username: string): Promise<{ user: User; passwordHash: string } | undefined>;
  listUsers(query?: { search?: string; limit?: number; offset?: number }): Promise<User[]>;
  countUsers(): Promise<number>;
  updateUser(id: string, patch: UserPatch): Promise<User | undefined>;
}

export interface WorkspaceStore {
  /** Creates the workspace with `ownerUserId` as its owner. Throws ConflictError('slug'). */
  createWorkspace(input: { name: string; slug: string; ownerUserId: string }): Promise<Workspace>;
  findWorkspaceById(id: string): Promise<Workspace | undefined>;
  findWorkspaceBySlug(slug: string): Promise<Workspace | undefined>;
  findWorkspacesByIds(ids: readonly string[]): Promise<Workspace[]>;
  listWorkspacesForUser(userId: string): Promise<WorkspaceMembership[]>;
  listMembers(workspaceId: string): Promise<WorkspaceMember[]>;
  /** Adds the member, or changes the role of an existing one. */
  setMember(workspaceId: string, userId: string, role: WorkspaceRole): Promise<void>;
  removeMember(workspaceId: string, userId: string): Promise<void>;
  findMembership(workspaceId: string, userId: string): Promise<WorkspaceRole | undefined>;
}

export interface ScopeStore {
  /** Throws ConflictError('name') when it exists. */
  createScope(scope: Scope): Promise<Scope>;
  /** Insert or update description and flag; used by `scopes import` and the built-ins. */
  upsertScope(scope: Scope): Promise<{ created: boolean }>;
  listScopes(): Promise<Scope[]>;
  findScopes(names: readonly string[]): Promise<Scope[]>;
  deleteScope(name: string): Promise<boolean>;
}

export interface NewClient extends Omit<Client, 'createdAt' | 'updatedAt' | 'verified' | 'resourceServer'> {
  verified?: boolean;
  resourceServer?: boolean;
}

export type ClientPatch = Partial<Omit<Client, 'id' | 'createdAt' | 'updatedAt'>>;

export interface ClientStore {
  /** Creates the client and, when given, its first secret, in one transaction. */
  createClient(client: NewClient, secret?: Omit<ClientSecret, 'clientId'>): Promise<Client>;
  findClient(id: string): Promise<Client | undefined>;
  listClients(query?: { ownerUserId?: string; ownerWorkspaceIds?: readonly string[]; visibility?: Client['visibility'] }): Promise<Client[]>;
  updateClient(id: string, patch: ClientPatch): Promise<Client | undefined>;
  /** Deletes the client with its secrets, grants and tokens. */
  deleteClient(id: string, now: number): Promise<boolean>;
  /** Secrets that are still accepted at `now` (no expiry, or expiry in the future). */
  listActiveSecrets(clientId: string, now: number): Promise<ClientSecret[]>;
  /**
   * Rotation in one transaction: every secret that has no expiry gets `graceUntil`
   * (secrets already expiring keep the earlier time), then `secret` is inserted.
   */
  rotateSecret(clientId: string, secret: Omit<ClientSecret, 'clientId'>, graceUntil: number): Promise<void>;
  /** How many users hold a live consent for the client. */
  countGrants(clientId: string): Promise<number>;
}

export interface KeyStore {
  listKeys(): Promise<SigningKey[]>;
  /** Inserts keys; a second `current` or `next` for one alg is ignored (another instance won), returns how many were inserted. */
  insertKeys(keys: SigningKey[]): Promise<number>;
  /**
   * Rotation for one alg in one transaction: current → retired, next → current, `newNext` inserted.
   * Returns false when the stored states were not as expected (a concurrent rotation).
   */
  rotateKeys(alg: SigningKey['alg'], newNext: SigningKey, now: number): Promise<boolean>;
  deleteRetiredBefore(time: number): Promise<number>;
  /** Compare-and-set of a key's stored private JWK (sealing a plaintext one in place); false when it was no longer `expected`. */
  replacePrivateKey(kid: string, expected: string, privateJwk: string): Promise<boolean>;
  /** After values were replaced (plaintext keys sealed), removes the old ones from the database's files (free pages, WAL, dead rows). Slow: once, at an upgrade. */
  eraseReplacedKeys(): Promise<void>;
}

export interface SessionStore {
  createSession(session: Session): Promise<void>;
  /** A live session with its user, in one read (every authorization request with a session cookie). */
  findSessionWithUser(idHash: string, now: number): Promise<{ session: Session; user: User } | undefined>;
  deleteSession(idHash: string): Promise<void>;
  deleteSessionsForUser(userId: string): Promise<void>;
}

export interface InteractionStore {
  createInteraction(interaction: Interaction): Promise<void>;
  findInteraction(idHash: string, now: number): Promise<Interaction | undefined>;
  /** Atomically removes and returns it; a second call returns undefined. */
  consumeInteraction(idHash: string, now: number): Promise<Interaction | undefined>;
}

export interface GrantStore {
  findGrant(userId: string, clientId: string): Promise<Grant | undefined>;
  findGrantById(id: string): Promise<Grant | undefined>;
  /** One live grant per user and client: creates it, or replaces scopes and workspaces of the live one. */
  saveGrant(input: { id: string; userId: string; clientId: string; scopes: string[]; workspaceIds: string[]; now: number }): Promise<Grant>;
  listGrantsForUser(userId: string): Promise<Grant[]>;
  /** Live grants of a client (rare: an app made internal). */
  listGrantsForClient(clientId: string): Promise<Grant[]>;
  touchGrant(id: string, now: number): Promise<void>;
  /** Marks the grant revoked, revokes every token issued under it and lists it as revoked, in one transaction. */
  revokeGrant(id: string, now: number): Promise<boolean>;
}

/** The user and consent behind a code or a token, read with it. */
export interface GrantHolders {
  user: User | undefined;
  grant: Grant | undefined;
}

/** The rule a grant's tokens are issued under: its user is present and not disabled, its consent present and not revoked. */
export function isLiveGrant(holders: GrantHolders): holders is { user: User; grant: Grant } {
  return holders.user !== undefined && holders.user.disabledAt === null && holders.grant !== undefined && holders.grant.revokedAt === null;
}

export type CodeRedemption =
  /** With the user and grant the code was issued under, as they are now (undefined when gone). */
  | ({ status: 'redeemed' } & GrantHolders)
  | { status: 'replayed' };

export interface CodeStore {
  /**
   * Records the redemption of a sealed code (`INSERT … ON CONFLICT DO UPDATE`) and stores the
   * tokens issued from it, atomically: exactly one caller gets 'redeemed', with the user and grant
   * as they are now; every later caller gets 'replayed' and the replay is recorded (kept until
   * `expiresAt`). `tokens` are stored for the first caller only, and only while its grant is live
   * (`isLiveGrant`), so a replay or a revocation that comes after finds them: the user and grant
   * rows are locked against a concurrent disable or revocation until the tokens are in. One
   * statement on Postgres, one savepoint of the group commit on SQLite.
   */
  redeemCode(code: { codeHash: string; userId: string; grantId: string; expiresAt: number }, now: number, tokens?: TokenRecord[]): Promise<CodeRedemption>;
}

export type RotationOutcome =
  /** This caller won: the old token is rotated and the successors are stored. */
  | { status: 'rotated' }
  /** Another caller rotated it first; here is what it stored. */
  | { status: 'already-rotated'; token: TokenRecord };

/**
 * Subjects of the revocation list. A sealed access token is stored nowhere, so revoking it, its
 * family, its grant, its user or its client is recorded under these names; the token is dead when
 * any subject it carries was revoked at or after it was issued.
 */
export const revocationSubject = {
  token: (jti: string): string => `t:${jti}`,
  family: (id: string): string => `f:${id}`,
  grant: (id: string): string => `g:${id}`,
  user: (id: string): string => `u:${id}`,
  client: (id: string): string => `c:${id}`,
};

export interface TokenStore {
  /** Stored tokens: refresh tokens and JWT access tokens (sealed opaque access tokens are not stored). */
  insertTokens(tokens: TokenRecord[]): Promise<void>;
  findToken(tokenHash: string): Promise<TokenRecord | undefined>;
  /**
   * `findToken` with the token's user and grant, in one read (a refresh). With `membershipOf`
   * (the workspace owning an internal app), the same read tells whether the token's user is a
   * member of it (`memberOfWorkspace`), by primary key.
   */
  findTokenWithGrant(
    tokenHash: string,
    options?: { membershipOf?: string | undefined },
  ): Promise<({ token: TokenRecord; memberOfWorkspace?: boolean } & GrantHolders) | undefined>;
  /**
   * Refresh rotation in one transaction: marks `oldHash` rotated (only if it is neither rotated nor
   * revoked), stores the sealed successor response on it and inserts `successors`.
   * Exactly one concurrent caller gets 'rotated', on every database and across processes.
   */
  rotateRefreshToken(oldHash: string, successors: TokenRecord[], successorBox: string, now: number): Promise<RotationOutcome>;
  /**
   * Stores `tokens` only while the token `liveHash` is unrevoked, atomically: a retry within the
   * refresh grace window stores its JWT access token only while the successor refresh token it is
   * answered with is live, and a family revocation running meanwhile revokes it too (on Postgres
   * the successor's row is read `FOR SHARE`, so the revocation waits and then finds the token;
   * on SQLite one savepoint of the group commit). False when nothing was stored.
   */
  insertTokensWhileLive(tokens: TokenRecord[], liveHash: string): Promise<boolean>;
  revokeToken(tokenHash: string, now: number): Promise<boolean>;
  /** Revokes the stored tokens of the family and lists the family as revoked (its sealed access tokens die too). */
  revokeFamily(familyId: string, now: number): Promise<number>;
  revokeTokensForUser(userId: string, now: number): Promise<number>;
  /**
   * Lists `subject` as revoked at `now` until `until` (the latest expiry of any token it covers).
   * Revoking the same subject again moves both times forward, never back.
   */
  revokeSubject(subject: string, now: number, until: number): Promise<void>;
  /** Whether any of `subjects` was revoked at or after `issuedAt`: one indexed read. */
  anyRevokedSince(subjects: readonly string[], issuedAt: number): Promise<boolean>;
  /** `anyRevokedSince` and `findUserById` in one read (one round trip): a sealed user token checked by an endpoint that shows its user. */
  revokedSinceWithUser(subjects: readonly string[], issuedAt: number, userId: string): Promise<{ revoked: boolean; user: User | undefined }>;
}

export interface PurgeReport {
  codes: number;
  tokens: number;
  revocations: number;
  sessions: number;
  interactions: number;
  clientSecrets: number;
  signingKeys: number;
}

export interface HousekeepingStore {
  /** Deletes expired rows in batches of `batchSize`, at most `maxBatches` per table, by the rules of housekeeping/policy.ts. */
  purgeExpired(now: number, options: PurgeOptions): Promise<PurgeReport>;
}

export interface SettingsStore {
  /** Stores `value` under `name` unless one exists; returns the stored value (first writer wins). */
  getOrCreateSetting(name: string, value: string): Promise<string>;
  getSetting(name: string): Promise<string | undefined>;
  /** Compare-and-set: replaces the value only while it is still `expected`; false otherwise. */
  replaceSetting(name: string, expected: string, value: string): Promise<boolean>;
}

export interface Stores
  extends UserStore,
    WorkspaceStore,
    ScopeStore,
    ClientStore,
    KeyStore,
    SessionStore,
    InteractionStore,
    GrantStore,
    CodeStore,
    TokenStore,
    HousekeepingStore,
    SettingsStore {
  ping(): Promise<void>;
  close(): Promise<void>;
}
