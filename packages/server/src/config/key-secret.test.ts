import { describe, expect, it } from 'vitest';
import { resolve } from 'node:path';
import { checkKeySecretRequired, defaultKeyFile } from './key-secret.js';

describe('key secret resolution', () => {
  it('keeps the key file beside the SQLite file by default, and none for an in-memory database', () => {
    expect(defaultKeyFile('sqlite:./data/gatehouse.db')).toBe(resolve('data/gatehouse.key'));
    expect(defaultKeyFile('sqlite:/var/lib/gatehouse/prod.sqlite3')).toBe('/var/lib/gatehouse/prod.key');
    expect(defaultKeyFile('sqlite:///var/lib/gatehouse/prod.db')).toBe('/var/lib/gatehouse/prod.key');
    expect(defaultKeyFile('sqlite:/srv/gatehouse')).toBe('/srv/gatehouse.key');
    expect(defaultKeyFile('sqlite::memory:')).toBeUndefined();
    expect(defaultKeyFile('postgres://db/gatehouse')).toBe(resolve('data/gatehouse.key'));
  });

  it('requires an explicit secret with Postgres in production only', () => {
    const base = { databaseUrl: 'postgres://db/gatehouse', keySecret: undefined, keyFile: undefined, production: true };
    expect(() => checkKeySecretRequired(base)).toThrow(/^GATEHOUSE_KEY_SECRET is required with Postgres in production/);
    expect(() => checkKeySecretRequired({ ...base, keySecret: 'x'.repeat(32) })).not.toThrow();
    expect(() => checkKeySecretRequired({ ...base, keyFile: '/run/secrets/gatehouse.key' })).not.toThrow();
    expect(() => checkKeySecretRequired({ ...base, production: false })).not.toThrow();
    expect(() => checkKeySecretRequired({ ...base, databaseUrl: 'sqlite:./data/gatehouse.db' })).not.toThrow();
  });
});
