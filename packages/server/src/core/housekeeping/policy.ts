/**
 * The purge policy: how often and how much the server's timer and `gatehouse purge` delete, and
 * the one grace that is a setting (retired signing keys). The stores apply it
 * (`HousekeepingStore.purgeExpired`), deleting expired rows in bounded batches so that a large
 * backlog never holds the database's locks (or SQLite's single writer) for long:
 * - redeemed codes when the code expires, so a replay until then is recognised (RFC 6749 §4.1.2);
 * - access tokens at expiry, refresh tokens once their family has ended too, so a late replay
 *   still revokes the family (RFC 9700 §4.14.2);
 * - revocation entries once every access token they cover has expired (at most
 *   ACCESS_TOKEN_TTL_MAX after the revocation);
 * - sessions, parked interactions and client secrets past their rotation grace, at expiry;
 * - retired signing keys `keyRetentionSeconds` after retirement.
 */
import type { CoreConfig } from '../config.js';
import { ACCESS_TOKEN_TTL_MAX } from '../config.js';

/** Seconds between the server's background purges. */
export const PURGE_INTERVAL_SECONDS = 300;

/** Rows per DELETE. */
export const PURGE_BATCH_SIZE = 1000;

/**
 * Batches per table in one run. The server's timer stops early and carries on at its next tick,
 * so a run stays short beside live traffic; `gatehouse purge` runs once, to the end of a backlog.
 */
export const PURGE_MAX_BATCHES = { timer: 50, command: 1000 } as const;

export type PurgeRun = keyof typeof PURGE_MAX_BATCHES;

/** What `purgeExpired` is told. */
export interface PurgeOptions {
  batchSize: number;
  maxBatches: number;
  keyRetentionSeconds: number;
}

/**
 * How long a retired key stays published: until every token it could have signed has expired
 * (ID tokens, and JWT access tokens up to ACCESS_TOKEN_TTL_MAX), plus a day of clock slack.
 */
export const keyRetentionSeconds = (idTokenLifetime: number): number => Math.max(idTokenLifetime, ACCESS_TOKEN_TTL_MAX) + 86400;

/** The options of one purge run, from the server's settings. */
export const purgeOptions = (config: CoreConfig, run: PurgeRun): PurgeOptions => ({
  batchSize: PURGE_BATCH_SIZE,
  maxBatches: PURGE_MAX_BATCHES[run],
  keyRetentionSeconds: keyRetentionSeconds(config.lifetimes.idToken),
});
