import { afterEach, describe, expect, it, vi } from 'vitest';
import { createGatehouse, type Gatehouse } from '../../gatehouse.js';
import { ACCESS_TOKEN_TTL_MAX, defaultCoreConfig } from '../config.js';
import { keyRetentionSeconds, PURGE_BATCH_SIZE, PURGE_MAX_BATCHES, purgeOptions } from './policy.js';

describe('the purge policy', () => {
  const config = defaultCoreConfig('http://localhost:3000');

  it('bounds every run, the timer more tightly than the command', () => {
    expect(purgeOptions(config, 'timer')).toEqual({ batchSize: PURGE_BATCH_SIZE, maxBatches: PURGE_MAX_BATCHES.timer, keyRetentionSeconds: keyRetentionSeconds(config.lifetimes.idToken) });
    expect(purgeOptions(config, 'command')).toEqual({ ...purgeOptions(config, 'timer'), maxBatches: PURGE_MAX_BATCHES.command });
    expect(PURGE_MAX_BATCHES.timer).toBeLessThan(PURGE_MAX_BATCHES.command);
  });

  it('keeps a retired key until every token it signed has expired, plus a day, from the configured ID token lifetime', () => {
    expect(keyRetentionSeconds(3600)).toBe(ACCESS_TOKEN_TTL_MAX + 86400);
    expect(keyRetentionSeconds(ACCESS_TOKEN_TTL_MAX + 10)).toBe(ACCESS_TOKEN_TTL_MAX + 10 + 86400);
    const longIdTokens = { ...config, lifetimes: { ...config.lifetimes, idToken: 30 * 86400 } };
    expect(purgeOptions(longIdTokens, 'command').keyRetentionSeconds).toBe(31 * 86400);
  });
});

describe("the server's purge", () => {
  let gatehouse: Gatehouse | undefined;
  afterEach(async () => gatehouse?.close());

  it('passes the timer policy, with its own settings, to the stores', async () => {
    const core = { ...defaultCoreConfig('http://localhost:3000'), keySecret: 'k'.repeat(32), lifetimes: { ...defaultCoreConfig('http://localhost:3000').lifetimes, idToken: 9 * 86400 } };
    gatehouse = await createGatehouse({ databaseUrl: 'sqlite::memory:', core, now: () => 1_000_000 });
    const purge = vi.spyOn(gatehouse.storage.stores, 'purgeExpired');
    await gatehouse.purge();
    expect(purge).toHaveBeenCalledWith(1_000_000, purgeOptions(core, 'timer'));
    expect(purge.mock.calls[0]![1].keyRetentionSeconds).toBe(10 * 86400);
  });
});
