/**
 * Signing keys: an RS256 and an ES256 key pair, each moving next → current → retired.
 *
 * `next` is published in the JWKS before it signs anything, so relying parties that cache the
 * JWKS already know it when rotation promotes it (OpenID Connect Core §10.1.1); `retired` keys
 * stay published until tokens they signed have expired. Private keys are stored sealed with the
 * key secret (GATEHOUSE_KEY_SECRET or the key file, which the composition root resolves; core
 * reads no files), and so is the access-token master key. Imported keys are cached: importing per
 * request is slow.
 */
import { randomBytes } from 'node:crypto';
import { calculateJwkThumbprint, exportJWK, generateKeyPair, importJWK, type CryptoKey, type JWK } from 'jose';
import { open, seal, isSealed } from '../crypto/seal.js';
import { describeOpened, openAccessToken, type OpenedAccessToken } from '../tokens/sealed.js';
import type { SigningAlg, SigningKey } from '../model.js';
import { signingAlgs } from '../model.js';
import type { Stores } from '../stores.js';

const SEAL_PURPOSE = 'signing-key';
const OPENED_TOKENS_KEPT = 4096;
const ACCESS_TOKEN_KEY_SETTING = 'access_token_key.v1';
const ACCESS_TOKEN_KEY_PURPOSE = 'access-token-key';

/**
 * The key secret cannot open what the database holds, or there is none and it is needed. The
 * composition root adds where the secret came from (GATEHOUSE_KEY_SECRET or the key file).
 */
export class KeySecretError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'KeySecretError';
  }
}

/** Whether the database holds keys sealed with some secret (then only that secret opens it). */
export async function storedKeysSealed(stores: Stores): Promise<boolean> {
  const master = await stores.getSetting(ACCESS_TOKEN_KEY_SETTING);
  if (master !== undefined && isSealed(master)) return true;
  return (await stores.listKeys()).some((key) => isSealed(key.privateJwk));
}

/**
 * Seals, in place, the private signing keys and the access-token master key that earlier
 * versions stored in plaintext. Each row is a compare-and-set from its plaintext, so running it
 * again changes nothing and two instances starting together seal each row once (the other one's
 * update finds the row already changed). Returns how many rows this call sealed.
 */
export async function sealPlaintextKeys(stores: Stores, keySecret: string): Promise<number> {
  let sealed = 0;
  for (const key of await stores.listKeys()) {
    if (isSealed(key.privateJwk)) continue;
    if (await stores.replacePrivateKey(key.kid, key.privateJwk, seal(key.privateJwk, keySecret, SEAL_PURPOSE))) sealed++;
  }
  const master = await stores.getSetting(ACCESS_TOKEN_KEY_SETTING);
  if (master !== undefined && !isSealed(master)) {
    if (await stores.replaceSetting(ACCESS_TOKEN_KEY_SETTING, master, seal(master, keySecret, ACCESS_TOKEN_KEY_PURPOSE))) sealed++;
  }
  // The plaintext must not survive in the files a copy of the database is made from.
  if (sealed > 0) await stores.eraseReplacedKeys();
  return sealed;
}

export async function generateSigningKey(alg: SigningAlg, state: SigningKey['state'], now: number, keySecret: string | undefined): Promise<SigningKey> {
  const pair = await generateKeyPair(alg, { extractable: true, modulusLength: 2048 });
  const publicJwk = await exportJWK(pair.publicKey);
  const privateJwk = await exportJWK(pair.privateKey);
  const kid = await calculateJwkThumbprint(publicJwk);
  const published: JWK = { ...publicJwk, kid, alg, use: 'sig' };
  const privateText = JSON.stringify({ ...privateJwk, kid, alg });
  return {
    kid,
    alg,
    state,
    publicJwk: JSON.stringify(published),
    privateJwk: keySecret ? seal(privateText, keySecret, SEAL_PURPOSE) : privateText,
    createdAt: now,
    activatedAt: state === 'current' ? now : null,
    retiredAt: null,
  };
}

/** Creates the missing `current` and `next` key per algorithm; safe when instances start together. */
export async function ensureSigningKeys(stores: Stores, options: { keySecret: string | undefined; now: number }): Promise<void> {
  const existing = await stores.listKeys();
  const wanted: SigningKey[] = [];
  for (const alg of signingAlgs) {
    for (const state of ['current', 'next'] as const) {
      if (!existing.some((key) => key.alg === alg && key.state === state)) {
        wanted.push(await generateSigningKey(alg, state, options.now, options.keySecret));
      }
    }
  }
  if (wanted.length > 0) await stores.insertKeys(wanted);
}

export async function rotateSigningKeys(
  stores: Stores,
  options: { alg: SigningAlg; keySecret: string | undefined; now: number },
): Promise<{ kid: string; alg: SigningAlg }> {
  await ensureSigningKeys(stores, options);
  const next = await generateSigningKey(options.alg, 'next', options.now, options.keySecret);
  if (!(await stores.rotateKeys(options.alg, next, options.now))) {
    throw new Error(`Signing key rotation for ${options.alg} raced with another rotation; try again`);
  }
  const promoted = (await stores.listKeys()).find((key) => key.alg === options.alg && key.state === 'current');
  return { kid: promoted?.kid ?? '', alg: options.alg };
}

export async function listSigningKeys(stores: Stores): Promise<Array<Pick<SigningKey, 'kid' | 'alg' | 'state' | 'createdAt' | 'activatedAt' | 'retiredAt'>>> {
  const order = { current: 0, next: 1, retired: 2 } as const;
  return (await stores.listKeys())
    .map(({ kid, alg, state, createdAt, activatedAt, retiredAt }) => ({ kid, alg, state, createdAt, activatedAt, retiredAt }))
    .sort((a, b) => a.alg.localeCompare(b.alg) || order[a.state] - order[b.state] || b.createdAt - a.createdAt);
}

export interface ActiveKey {
  kid: string;
  alg: SigningAlg;
  key: CryptoKey;
}

/** In-memory view of the stored keys: signing keys imported once, JWKS document built once per change. */
export class KeyRing {
  private signers = new Map<SigningAlg, ActiveKey>();
  private verifiers = new Map<string, ActiveKey>();
  private jwksDocument: { keys: JWK[] } = { keys: [] };
  private fingerprint = '';
  private lastLoad = 0;
  private loading: Promise<void> | undefined;

  constructor(
    private readonly stores: Stores,
    private readonly keySecret: string | undefined,
    private readonly refreshSeconds = 30,
  ) {}

  private accessKey: Buffer | undefined;

  /** Loads keys, creating the initial ones on an empty database and sealing plaintext ones left by earlier versions. */
  async init(now: number): Promise<void> {
    await ensureSigningKeys(this.stores, { keySecret: this.keySecret, now });
    if (this.keySecret) await sealPlaintextKeys(this.stores, this.keySecret);
    await this.loadAccessTokenKey();
    await this.reload(now);
    // The current keys were opened by reload; the next ones must open too, or the first rotation would fail.
    for (const key of await this.stores.listKeys()) {
      if (key.state === 'next' && isSealed(key.privateJwk) && (!this.keySecret || open(key.privateJwk, this.keySecret, SEAL_PURPOSE) === undefined)) {
        throw new KeySecretError(`Signing key ${key.kid} cannot be decrypted with the configured GATEHOUSE_KEY_SECRET`);
      }
    }
  }

  /** The master key of sealed access tokens and codes: created by the first instance, shared through the database (sealed when a key secret is set). */
  private async loadAccessTokenKey(): Promise<void> {
    const fresh = randomBytes(32).toString('base64url');
    const stored = await this.stores.getOrCreateSetting(
      ACCESS_TOKEN_KEY_SETTING,
      this.keySecret ? seal(fresh, this.keySecret, ACCESS_TOKEN_KEY_PURPOSE) : fresh,
    );
    let text = stored;
    if (isSealed(stored)) {
      if (!this.keySecret) throw new KeySecretError('The access token key is encrypted: set GATEHOUSE_KEY_SECRET');
      const opened = open(stored, this.keySecret, ACCESS_TOKEN_KEY_PURPOSE);
      if (opened === undefined) throw new KeySecretError('The access token key cannot be decrypted with the configured GATEHOUSE_KEY_SECRET');
      text = opened;
    }
    this.accessKey = Buffer.from(text, 'base64url');
  }

  /** Seals and opens opaque access tokens and authorization codes (core/tokens/sealed.ts, sealed-code.ts). */
  sealingKey(): Buffer {
    if (!this.accessKey) throw new Error('KeyRing.init() has not run');
    return this.accessKey;
  }

  private readonly opened = new Map<string, OpenedAccessToken>();

  /**
   * `openAccessToken` with a memory of recent answers: resource servers present the same token
   * again and again, and opening one (HMAC, AES-GCM, JSON, its hash and revocation subjects) costs
   * more than the revocation probe that still runs every time. Bounded; the oldest entry goes first.
   */
  openAccessToken(value: string, prefix: string): OpenedAccessToken | undefined {
    const known = this.opened.get(value);
    if (known) return known;
    const token = openAccessToken(this.sealingKey(), prefix, value);
    if (!token) return undefined;
    const opened = describeOpened(token, value);
    if (this.opened.size >= OPENED_TOKENS_KEPT) this.opened.delete(this.opened.keys().next().value!);
    this.opened.set(value, opened);
    return opened;
  }

  /** Re-reads keys when the last read is older than the refresh interval (rotation by another instance or the CLI). */
  async maybeReload(now: number, force = false): Promise<void> {
    if (!force && now - this.lastLoad < this.refreshSeconds) return;
    this.loading ??= this.reload(now).finally(() => {
      this.loading = undefined;
    });
    await this.loading;
  }

  private async reload(now: number): Promise<void> {
    const keys = await this.stores.listKeys();
    this.lastLoad = now;
    const fingerprint = keys.map((key) => `${key.kid}:${key.state}`).sort().join(',');
    if (fingerprint === this.fingerprint) return;
    const signers = new Map<SigningAlg, ActiveKey>();
    const verifiers = new Map<string, ActiveKey>();
    for (const stored of keys) {
      const publicKey = (await importJWK(JSON.parse(stored.publicJwk) as JWK, stored.alg)) as CryptoKey;
      verifiers.set(stored.kid, { kid: stored.kid, alg: stored.alg, key: publicKey });
      if (stored.state === 'current') {
        signers.set(stored.alg, { kid: stored.kid, alg: stored.alg, key: await this.importPrivate(stored) });
      }
    }
    this.signers = signers;
    this.verifiers = verifiers;
    const order = { current: 0, next: 1, retired: 2 } as const;
    this.jwksDocument = {
      keys: [...keys].sort((a, b) => order[a.state] - order[b.state]).map((key) => JSON.parse(key.publicJwk) as JWK),
    };
    this.fingerprint = fingerprint;
  }

  private async importPrivate(stored: SigningKey): Promise<CryptoKey> {
    let text = stored.privateJwk;
    if (isSealed(text)) {
      if (!this.keySecret) throw new KeySecretError(`Signing key ${stored.kid} is encrypted: set GATEHOUSE_KEY_SECRET`);
      const opened = open(text, this.keySecret, SEAL_PURPOSE);
      if (opened === undefined) throw new KeySecretError(`Signing key ${stored.kid} cannot be decrypted with the configured GATEHOUSE_KEY_SECRET`);
      text = opened;
    }
    return (await importJWK(JSON.parse(text) as JWK, stored.alg)) as CryptoKey;
  }

  signer(alg: SigningAlg): ActiveKey {
    const key = this.signers.get(alg);
    if (!key) throw new Error(`No current ${alg} signing key`);
    return key;
  }

  verifier(kid: string): ActiveKey | undefined {
    return this.verifiers.get(kid);
  }

  jwks(): { keys: JWK[] } {
    return this.jwksDocument;
  }
}
