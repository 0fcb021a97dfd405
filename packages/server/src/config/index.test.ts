import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './index.js';

const errorOf = (fn: () => unknown): ConfigError => {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return error as ConfigError;
  }
  throw new Error('expected a ConfigError');
};

describe('loadConfig', () => {
  it('applies defaults', () => {
    const config = loadConfig({ flags: {}, env: {} });
    expect(config.port).toBe(3000);
    expect(config.host).toBe('127.0.0.1');
    expect(config.databaseUrl).toBe('sqlite:./data/gatehouse.db');
    expect(config.logLevel).toBe('info');
    expect(config.core.issuer).toBe('http://localhost:3000');
    expect(config.core.signupEnabled).toBe(true);
    expect(config.core.refreshGraceSeconds).toBe(60);
    expect(config.core.keySecret).toBeUndefined();
    expect(config.core.prefixes.clientSecret).toBe('gcs_');
  });

  it('defaults the issuer to the chosen port', () => {
    expect(loadConfig({ env: { PORT: '8080' } }).core.issuer).toBe('http://localhost:8080');
  });

  it('prefers flags over environment', () => {
    const config = loadConfig({
      flags: { port: '4000', host: '0.0.0.0', issuer: 'https://id.example.com/', database: 'sqlite::memory:' },
      env: { PORT: '5000', HOST: '::', GATEHOUSE_ISSUER: 'https://other.example.com', DATABASE_URL: 'postgres://x@y/z' },
    });
    expect(config).toMatchObject({ port: 4000, host: '0.0.0.0', databaseUrl: 'sqlite::memory:' });
    expect(config.core.issuer).toBe('https://id.example.com');
  });

  it('reads the environment', () => {
    const config = loadConfig({
      env: {
        PORT: '8443',
        GATEHOUSE_ISSUER: 'https://auth.example.com/tenant/',
        DATABASE_URL: 'postgres://gatehouse:pw@db:5432/gatehouse',
        GATEHOUSE_KEY_SECRET: 'x'.repeat(32),
        GATEHOUSE_SIGNUP: 'false',
        GATEHOUSE_ACCESS_TOKEN_TTL: '600',
        GATEHOUSE_REFRESH_TOKEN_TTL: '86400',
        GATEHOUSE_REFRESH_GRACE_SECONDS: '0',
        GATEHOUSE_TOKEN_PREFIX_ACCESS: 'acme_',
        LOG_LEVEL: 'DEBUG',
      },
    });
    expect(config.core.issuer).toBe('https://auth.example.com/tenant');
    expect(config.databaseUrl).toBe('postgres://gatehouse:pw@db:5432/gatehouse');
    expect(config.core.keySecret).toHaveLength(32);
    expect(config.core.signupEnabled).toBe(false);
    expect(config.core.lifetimes.accessToken).toBe(600);
    expect(config.core.lifetimes.refreshToken).toBe(86400);
    expect(config.core.refreshGraceSeconds).toBe(0);
    expect(config.core.prefixes.accessToken).toBe('acme_');
    expect(config.logLevel).toBe('debug');
  });

  it('treats empty environment variables as unset', () => {
    expect(loadConfig({ env: { PORT: '', GATEHOUSE_KEY_SECRET: '' } }).port).toBe(3000);
  });

  it.each([
    [{ env: { PORT: '70000' } }, 'Invalid setting PORT (--port): expected an integer between 1 and 65535'],
    [{ flags: { port: 'abc' } }, 'Invalid setting PORT (--port): expected an integer between 1 and 65535'],
    [{ env: { PORT: '0' } }, 'Invalid setting PORT (--port)'],
    [{ env: { GATEHOUSE_ISSUER: 'http://id.example.com' } }, 'Invalid setting GATEHOUSE_ISSUER (--issuer): must use https'],
    [{ env: { GATEHOUSE_ISSUER: 'https://id.example.com/?a=b' } }, 'query or fragment'],
    [{ env: { GATEHOUSE_ISSUER: 'https://id.example.com/#x' } }, 'query or fragment'],
    [{ env: { GATEHOUSE_ISSUER: '/relative' } }, 'absolute http(s) URL'],
    [{ env: { GATEHOUSE_ISSUER: 'ftp://id.example.com' } }, 'absolute http(s) URL'],
    [{ env: { DATABASE_URL: 'mysql://x' } }, 'Invalid setting DATABASE_URL (--database)'],
    [{ env: { GATEHOUSE_KEY_SECRET: 'short' } }, 'Invalid setting GATEHOUSE_KEY_SECRET: expected at least 32 characters'],
    [{ env: { GATEHOUSE_SIGNUP: 'maybe' } }, 'Invalid setting GATEHOUSE_SIGNUP: expected true or false'],
    [{ env: { GATEHOUSE_ACCESS_TOKEN_TTL: '-5' } }, 'Invalid setting GATEHOUSE_ACCESS_TOKEN_TTL'],
    [{ env: { GATEHOUSE_REFRESH_GRACE_SECONDS: '1.5' } }, 'Invalid setting GATEHOUSE_REFRESH_GRACE_SECONDS'],
    [{ env: { LOG_LEVEL: 'loud' } }, 'Invalid setting LOG_LEVEL (--log-level): expected one of'],
    [{ env: { GATEHOUSE_TOKEN_PREFIX_ACCESS: 'grt_' } }, 'used twice'],
  ])('rejects %j', (input, message) => {
    const error = errorOf(() => loadConfig(input));
    expect(error.message).toContain(message);
    expect(error.message).not.toContain('\n');
  });

  it('reads trusted proxies as IPs and CIDR ranges, and refuses anything else naming the setting', () => {
    expect(loadConfig({ env: {} }).core.trustedProxies).toEqual([]);
    expect(loadConfig({ env: { GATEHOUSE_TRUSTED_PROXIES: '10.0.0.0/8, 127.0.0.1,::1, fd00::/8' } }).core.trustedProxies).toEqual([
      '10.0.0.0/8',
      '127.0.0.1',
      '::1',
      'fd00::/8',
    ]);
    for (const bad of ['proxy.example.com', '10.0.0.0/33', '10.0.0.1/8/8', '::1/129']) {
      const error = errorOf(() => loadConfig({ env: { GATEHOUSE_TRUSTED_PROXIES: bad } }));
      expect(error.setting).toBe('GATEHOUSE_TRUSTED_PROXIES');
      expect(error.message).toContain('Invalid setting GATEHOUSE_TRUSTED_PROXIES');
    }
  });

  it('reads the hosts trusted for client ID metadata documents as lowercase names, and refuses anything else naming the setting', () => {
    expect(loadConfig({ env: {} }).cimdTrustedHosts).toEqual([]);
    expect(loadConfig({ env: { GATEHOUSE_CIMD_TRUSTED_HOSTS: 'Clients.Intranet.example, localhost,,10.0.0.5,[::1]' } }).cimdTrustedHosts).toEqual([
      'clients.intranet.example',
      'localhost',
      '10.0.0.5',
      '::1',
    ]);
    for (const bad of ['https://clients.example', 'clients.example:8443', '*.example.com', 'a b']) {
      const error = errorOf(() => loadConfig({ env: { GATEHOUSE_CIMD_TRUSTED_HOSTS: bad } }));
      expect(error.setting).toBe('GATEHOUSE_CIMD_TRUSTED_HOSTS');
      expect(error.message).toContain('Invalid setting GATEHOUSE_CIMD_TRUSTED_HOSTS');
    }
  });

  it('reads the key file from the flag or the environment, and production mode from NODE_ENV', () => {
    expect(loadConfig({ env: {} })).toMatchObject({ keyFile: undefined, production: false });
    expect(loadConfig({ env: { GATEHOUSE_KEY_FILE: '/etc/gatehouse/key', NODE_ENV: 'production' } })).toMatchObject({ keyFile: '/etc/gatehouse/key', production: true });
    expect(loadConfig({ flags: { 'key-file': './k' }, env: { GATEHOUSE_KEY_FILE: '/etc/gatehouse/key' } }).keyFile).toBe('./k');
  });

  it('allows http issuers on loopback hosts', () => {
    for (const issuer of ['http://127.0.0.1:3000', 'http://[::1]:3000', 'http://localhost']) {
      expect(loadConfig({ flags: { issuer } }).core.issuer).toBe(issuer);
    }
  });
});
