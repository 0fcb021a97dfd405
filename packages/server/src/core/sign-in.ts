/**
 * Password sign-in with throttling (OWASP Authentication Cheat Sheet, "Protect Against Automated
 * Attacks"; NIST SP 800-63B §5.2.2, "Rate Limiting (Throttling)"). Two counters:
 *
 * - **per account and client address**: `freeFailures` wrong passwords, then each further attempt
 *   from that address waits `baseDelaySeconds · 2^(failures − freeFailures)` after the last
 *   failure, at most `maxDelaySeconds`. A delay, not a lockout, and for that address only: a
 *   guesser elsewhere cannot keep the owner out. A success clears it.
 * - **per client address across all accounts**: after `addressLimit` failures the address waits
 *   until `windowSeconds` after its last failure, so spraying one password over many accounts
 *   from one address stops there. A success does not clear it (an attacker's own account would).
 *
 * An attempt that has to wait is refused without checking the password and is not counted.
 * Counters are forgotten `windowSeconds` after their last failure. IPv6 addresses count per /64,
 * the block one subscriber usually holds.
 *
 * The throttle is an interface so that a shared one (database or Redis) can replace the
 * in-memory one, which counts per process.
 */
import { createHash } from 'node:crypto';
import type { CoreDeps } from './deps.js';
import { authenticateUser } from './manage/users.js';
import type { User } from './model.js';

/** One password attempt: the account as typed, and the client's address (`unknown` when the HTTP layer has none). */
export interface SignInAttempt {
  account: string;
  address: string;
}

/** Swappable: the in-memory one below, later one backed by the database or Redis (hence the promises). */
export interface SignInThrottle {
  /** Seconds this attempt must wait before its password is checked; 0 when it may go ahead. */
  wait(attempt: SignInAttempt, now: number): number | Promise<number>;
  failed(attempt: SignInAttempt, now: number): void | Promise<void>;
  succeeded(attempt: SignInAttempt, now: number): void | Promise<void>;
}

export interface ThrottleRules {
  /** Wrong passwords per (account, address) before attempts are delayed. */
  freeFailures: number;
  baseDelaySeconds: number;
  maxDelaySeconds: number;
  /** Wrong passwords per address, whatever the account, before the address must wait out the window. */
  addressLimit: number;
  /** A counter is forgotten this long after its last failure. */
  windowSeconds: number;
  /** Counters kept per kind and segment (see FailureCounters); bounds memory (~210 bytes each: 4 × 50 000 ≈ 40 MB at worst). */
  maxEntries: number;
}

export const defaultThrottleRules: ThrottleRules = {
  freeFailures: 5,
  baseDelaySeconds: 1,
  maxDelaySeconds: 5 * 60,
  addressLimit: 100,
  windowSeconds: 15 * 60,
  maxEntries: 50_000,
};

/** Nothing longer can be a username (USERNAME_PATTERN allows 39), so longer input is cut before it is normalised and hashed. */
const ACCOUNT_KEY_CHARS = 64;
const SWEEP_PER_WRITE = 8;

interface Counter {
  failures: number;
  last: number;
}

/**
 * Failure counters under fixed-size keys, in two segments that each keep insertion order, and a
 * failure re-inserts its counter: the front of a segment is always the next to expire. Expired
 * counters are swept from the front a few per write, and a full segment drops its front (the one
 * closest to expiry) instead of being cleared. Counters that have reached `promoteAt` failures
 * move to their own segment, so a flood of one-off keys only pushes out other one-off keys,
 * never a counter that is throttling someone.
 */
export class FailureCounters {
  private readonly fresh = new Map<string, Counter>();
  private readonly serious = new Map<string, Counter>();

  constructor(
    private readonly ttlSeconds: number,
    private readonly promoteAt: number,
    private readonly capacity: number,
  ) {}

  get(key: string, now: number): Counter | undefined {
    const counter = this.serious.get(key) ?? this.fresh.get(key);
    if (counter && counter.last + this.ttlSeconds <= now) {
      this.delete(key);
      return undefined;
    }
    return counter;
  }

  fail(key: string, now: number): Counter {
    this.sweep(now);
    const counter: Counter = { failures: (this.get(key, now)?.failures ?? 0) + 1, last: now };
    this.delete(key);
    const segment = counter.failures >= this.promoteAt ? this.serious : this.fresh;
    if (segment.size >= this.capacity) segment.delete(segment.keys().next().value!);
    segment.set(key, counter);
    return counter;
  }

  delete(key: string): void {
    this.fresh.delete(key);
    this.serious.delete(key);
  }

  get size(): number {
    return this.fresh.size + this.serious.size;
  }

  *keys(): IterableIterator<string> {
    yield* this.fresh.keys();
    yield* this.serious.keys();
  }

  private sweep(now: number): void {
    for (const segment of [this.fresh, this.serious]) {
      let budget = SWEEP_PER_WRITE;
      for (const [key, counter] of segment) {
        if (budget-- === 0 || counter.last + this.ttlSeconds > now) break;
        segment.delete(key);
      }
    }
  }
}

/** 22 characters (128 bits of SHA-256) whatever the input's length. */
const fixedKey = (...parts: string[]): string => createHash('sha256').update(parts.join('\0')).digest('base64url').slice(0, 22);

/** The per-address bucket: an IPv4 address, or the /64 of an IPv6 one. */
export function addressBucket(address: string): string {
  if (!address.includes(':')) return address;
  const bare = address.split('%')[0]!.toLowerCase();
  const halves = bare.split('::');
  if (halves.length > 2) return bare;
  const left = halves[0] ? halves[0].split(':') : [];
  const right = halves.length === 2 && halves[1] ? halves[1].split(':') : [];
  const groups = halves.length === 2 ? [...left, ...Array<string>(Math.max(0, 8 - left.length - right.length)).fill('0'), ...right] : left;
  if (groups.length !== 8 || groups.some((group) => !/^[0-9a-f]{1,4}$/.test(group))) return bare;
  return `${groups.slice(0, 4).map((group) => parseInt(group, 16).toString(16)).join(':')}::/64`;
}

/** The throttle of one process. Memory: at most 4 × `maxEntries` counters with 22-character keys (measured ~210 bytes each). */
export class MemorySignInThrottle implements SignInThrottle {
  readonly rules: ThrottleRules;
  readonly pairs: FailureCounters;
  readonly addresses: FailureCounters;

  constructor(rules: Partial<ThrottleRules> = {}) {
    this.rules = { ...defaultThrottleRules, ...rules };
    const { windowSeconds, freeFailures, addressLimit, maxEntries } = this.rules;
    this.pairs = new FailureCounters(windowSeconds, freeFailures, maxEntries);
    this.addresses = new FailureCounters(windowSeconds, Math.min(freeFailures, addressLimit), maxEntries);
  }

  private keysOf(attempt: SignInAttempt): { pair: string; address: string } {
    const bucket = addressBucket(attempt.address);
    const account = attempt.account.slice(0, ACCOUNT_KEY_CHARS).trim().toLowerCase();
    return { pair: fixedKey('pair', account, bucket), address: fixedKey('address', bucket) };
  }

  /** Seconds until the next attempt may be checked, from the pair's growing delay and the address's budget. */
  wait(attempt: SignInAttempt, now: number): number {
    const { freeFailures, baseDelaySeconds, maxDelaySeconds, addressLimit, windowSeconds } = this.rules;
    const keys = this.keysOf(attempt);
    let until = 0;
    const pair = this.pairs.get(keys.pair, now);
    if (pair && pair.failures >= freeFailures) {
      until = pair.last + Math.min(baseDelaySeconds * 2 ** (pair.failures - freeFailures), maxDelaySeconds);
    }
    const address = this.addresses.get(keys.address, now);
    if (address && address.failures >= addressLimit) until = Math.max(until, address.last + windowSeconds);
    return Math.max(0, until - now);
  }

  failed(attempt: SignInAttempt, now: number): void {
    const keys = this.keysOf(attempt);
    this.pairs.fail(keys.pair, now);
    this.addresses.fail(keys.address, now);
  }

  succeeded(attempt: SignInAttempt): void {
    this.pairs.delete(this.keysOf(attempt).pair);
  }

  get size(): number {
    return this.pairs.size + this.addresses.size;
  }
}

export type SignInResult = { ok: true; user: User } | { ok: false; message: string; retryAfterSeconds?: number };

const waitText = (seconds: number): string =>
  seconds < 120 ? `${seconds} second${seconds === 1 ? '' : 's'}` : `${Math.ceil(seconds / 60)} minutes`;

/**
 * Checks a password through the throttle. `address` is the client's address as the HTTP layer
 * worked it out (trusted proxies considered), a plain string.
 */
export async function signInWithPassword(
  deps: CoreDeps,
  username: string | undefined,
  password: string | undefined,
  address: string,
): Promise<SignInResult> {
  const incorrect: SignInResult = { ok: false, message: 'Incorrect username or password.' };
  if (!username || !password) return incorrect;
  const attempt: SignInAttempt = { account: username, address: address || 'unknown' };
  const now = deps.now();
  const wait = await deps.signInThrottle.wait(attempt, now);
  if (wait > 0) {
    return { ok: false, message: `Too many failed attempts. Try again in ${waitText(wait)}.`, retryAfterSeconds: wait };
  }
  const user = await authenticateUser(deps, username, password);
  if (!user) {
    await deps.signInThrottle.failed(attempt, now);
    return incorrect;
  }
  await deps.signInThrottle.succeeded(attempt, now);
  return { ok: true, user };
}
