/**
 * Server settings: command-line flags win over environment variables, which win over defaults.
 * Every setting is validated up front, so a typo stops the server at start with one line that
 * names the setting, instead of surfacing as odd behaviour later. See docs/configuration.md.
 */
import { isIP } from 'node:net';
import { z } from 'zod';
import { isLoopback, LOOPBACK_HOSTS_TEXT } from '../core/clients/loopback.js';
import { ACCESS_TOKEN_TTL_MAX, defaultCoreConfig, type CoreConfig } from '../core/config.js';

export const logLevels = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof logLevels)[number];

export interface ServerConfig {
  port: number;
  host: string;
  databaseUrl: string;
  logLevel: LogLevel;
  /** `GATEHOUSE_KEY_FILE` / `--key-file`: where the key secret is kept when `GATEHOUSE_KEY_SECRET` is not set (see key-secret.ts). */
  keyFile: string | undefined;
  /** `NODE_ENV=production`: Postgres then needs an explicit key secret. */
  production: boolean;
  /** `GATEHOUSE_CIMD_TRUSTED_HOSTS`: hosts whose client ID metadata documents may be fetched from private or loopback addresses (net/safe-fetch.ts). */
  cimdTrustedHosts: string[];
  core: CoreConfig;
}

export const DEFAULT_DATABASE_URL = 'sqlite:./data/gatehouse.db';

/** One line, naming the setting: `Invalid setting PORT (--port): expected an integer between 1 and 65535`. */
export class ConfigError extends Error {
  constructor(
    readonly setting: string,
    message: string,
  ) {
    super(message);
    this.name = 'ConfigError';
  }
}

export type ConfigFlags = Record<string, string | boolean | undefined>;

export interface LoadConfigInput {
  /** Parsed command-line flags, keyed by long flag name without dashes (`port`, `issuer`, …). */
  flags?: ConfigFlags;
  env?: Record<string, string | undefined>;
}

const integer = (min: number, max: number) =>
  z
    .string()
    .trim()
    .regex(/^\d+$/, `expected an integer between ${min} and ${max}`)
    .transform(Number)
    .pipe(z.number().int().min(min, `expected an integer between ${min} and ${max}`).max(max, `expected an integer between ${min} and ${max}`));

const boolean = z
  .string()
  .trim()
  .toLowerCase()
  .pipe(z.enum(['true', 'false', '1', '0', 'yes', 'no'], 'expected true or false'))
  .transform((value) => value === 'true' || value === '1' || value === 'yes');

const prefix = z.string().regex(/^[a-z][a-z0-9]{0,7}_$/, 'expected 1-8 lowercase letters or digits followed by "_", e.g. gat_');

const schemas = {
  port: integer(1, 65535),
  host: z.string().trim().min(1, 'expected a host name or IP address').regex(/^[^\s/]+$/, 'expected a host name or IP address'),
  database: z.string().trim().refine(
    (value) =>
      value === 'sqlite::memory:' ||
      /^sqlite:.+/.test(value) ||
      /^postgres(?:ql)?:\/\/.+/.test(value),
    'expected sqlite:PATH, sqlite::memory: or postgres://USER:PASSWORD@HOST:PORT/DATABASE',
  ),
  // OpenID Connect Discovery §3: the issuer is an https URL with no query or fragment.
  issuer: z
    .string()
    .trim()
    .transform((value, ctx) => {
      let url: URL;
      try {
        url = new URL(value);
      } catch {
        ctx.addIssue({ code: 'custom', message: 'expected an absolute http(s) URL' });
        return z.NEVER;
      }
      if (url.protocol !== 'https:' && url.protocol !== 'http:') {
        ctx.addIssue({ code: 'custom', message: 'expected an absolute http(s) URL' });
        return z.NEVER;
      }
      if (url.search !== '' || url.hash !== '' || value.includes('?') || value.includes('#')) {
        ctx.addIssue({ code: 'custom', message: 'must not contain a query or fragment' });
        return z.NEVER;
      }
      if (url.username !== '' || url.password !== '') {
        ctx.addIssue({ code: 'custom', message: 'must not contain user information' });
        return z.NEVER;
      }
      // The loopback hosts of redirect URIs (core/clients/loopback.ts): a development server.
      if (url.protocol === 'http:' && !isLoopback(url)) {
        ctx.addIssue({ code: 'custom', message: `must use https (http only for ${LOOPBACK_HOSTS_TEXT})` });
        return z.NEVER;
      }
      return value.replace(/\/+$/, '');
    }),
  keySecret: z.string().min(32, 'expected at least 32 characters (e.g. `openssl rand -base64 32`)'),
  signup: boolean,
  accessTokenTtl: integer(60, ACCESS_TOKEN_TTL_MAX),
  refreshTokenTtl: integer(60, 400 * 86_400),
  refreshGrace: integer(0, 3600),
  logLevel: z.string().trim().toLowerCase().pipe(z.enum(logLevels, `expected one of ${logLevels.join(', ')}`)),
  prefix,
  trustedProxies: z
    .string()
    .transform((value, ctx) => {
      const entries = value.split(',').map((entry) => entry.trim()).filter((entry) => entry !== '');
      for (const entry of entries) {
        const [address = '', prefixLength, extra] = entry.split('/');
        const family = isIP(address);
        const max = family === 4 ? 32 : 128;
        if (family === 0 || extra !== undefined || (prefixLength !== undefined && !(/^\d{1,3}$/.test(prefixLength) && Number(prefixLength) <= max))) {
          ctx.addIssue({ code: 'custom', message: `expected comma-separated IP addresses or CIDR ranges (e.g. 10.0.0.0/8, ::1), got "${entry}"` });
          return z.NEVER;
        }
      }
      return entries;
    }),
  keyFile: z.string().trim().min(1, 'expected a file path'),
  hostNames: z.string().transform((value, ctx) => {
    // Lowercase, as URL host names are; IPv6 addresses without brackets, as the fetch compares them.
    const entries = value.split(',').map((entry) => entry.trim().toLowerCase().replace(/^\[(.*)\]$/, '$1')).filter((entry) => entry !== '');
    for (const entry of entries) {
      if (!/^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)*$/.test(entry) && isIP(entry) === 0) {
        ctx.addIssue({ code: 'custom', message: `expected comma-separated host names (e.g. clients.intranet.example), got "${entry}"` });
        return z.NEVER;
      }
    }
    return entries;
  }),
};

interface Setting<T> {
  env: string;
  flag?: string;
  schema: z.ZodType<T, string>;
}

/**
 * Reads flags and environment for the server. Throws ConfigError on the first invalid setting.
 * Empty environment variables count as unset, as with most twelve-factor tools.
 */
export function loadConfig(input: LoadConfigInput = {}): ServerConfig {
  const flags = input.flags ?? {};
  const env = input.env ?? {};

  function read<T>(setting: Setting<T>): T | undefined {
    let raw: string | undefined;
    const flagValue = setting.flag === undefined ? undefined : flags[setting.flag];
    if (typeof flagValue === 'string') raw = flagValue;
    else if (flagValue === true) raw = '';
    else {
      const envValue = env[setting.env];
      if (envValue !== undefined && envValue !== '') raw = envValue;
    }
    if (raw === undefined) return undefined;
    const result = setting.schema.safeParse(raw);
    if (!result.success) {
      const where = setting.flag === undefined ? setting.env : `${setting.env} (--${setting.flag})`;
      const message = (result.error.issues[0]?.message ?? 'invalid value').replace(/\s+/g, ' ');
      throw new ConfigError(setting.env, `Invalid setting ${where}: ${message}`);
    }
    return result.data;
  }

  const port = read({ env: 'PORT', flag: 'port', schema: schemas.port }) ?? 3000;
  const host = read({ env: 'HOST', flag: 'host', schema: schemas.host }) ?? '127.0.0.1';
  const issuer = read({ env: 'GATEHOUSE_ISSUER', flag: 'issuer', schema: schemas.issuer }) ?? `http://localhost:${port}`;
  const databaseUrl = read({ env: 'DATABASE_URL', flag: 'database', schema: schemas.database }) ?? DEFAULT_DATABASE_URL;
  const logLevel = read({ env: 'LOG_LEVEL', flag: 'log-level', schema: schemas.logLevel }) ?? 'info';

  const core = defaultCoreConfig(issuer);
  core.keySecret = read({ env: 'GATEHOUSE_KEY_SECRET', schema: schemas.keySecret });
  const keyFile = read({ env: 'GATEHOUSE_KEY_FILE', flag: 'key-file', schema: schemas.keyFile });
  const production = env['NODE_ENV'] === 'production';
  core.trustedProxies = read({ env: 'GATEHOUSE_TRUSTED_PROXIES', schema: schemas.trustedProxies }) ?? core.trustedProxies;
  core.signupEnabled = read({ env: 'GATEHOUSE_SIGNUP', schema: schemas.signup }) ?? core.signupEnabled;
  core.lifetimes.accessToken = read({ env: 'GATEHOUSE_ACCESS_TOKEN_TTL', schema: schemas.accessTokenTtl }) ?? core.lifetimes.accessToken;
  core.lifetimes.refreshToken =
    read({ env: 'GATEHOUSE_REFRESH_TOKEN_TTL', schema: schemas.refreshTokenTtl }) ?? core.lifetimes.refreshToken;
  core.refreshGraceSeconds = read({ env: 'GATEHOUSE_REFRESH_GRACE_SECONDS', schema: schemas.refreshGrace }) ?? core.refreshGraceSeconds;
  core.prefixes.accessToken = read({ env: 'GATEHOUSE_TOKEN_PREFIX_ACCESS', schema: schemas.prefix }) ?? core.prefixes.accessToken;
  core.prefixes.refreshToken = read({ env: 'GATEHOUSE_TOKEN_PREFIX_REFRESH', schema: schemas.prefix }) ?? core.prefixes.refreshToken;
  core.prefixes.authorizationCode =
    read({ env: 'GATEHOUSE_TOKEN_PREFIX_CODE', schema: schemas.prefix }) ?? core.prefixes.authorizationCode;
  core.prefixes.clientSecret =
    read({ env: 'GATEHOUSE_TOKEN_PREFIX_CLIENT_SECRET', schema: schemas.prefix }) ?? core.prefixes.clientSecret;

  const prefixes = Object.entries(core.prefixes);
  const clash = prefixes.find(([, value], index) => prefixes.findIndex(([, other]) => other === value) !== index);
  if (clash) {
    throw new ConfigError('GATEHOUSE_TOKEN_PREFIX_*', `Invalid setting GATEHOUSE_TOKEN_PREFIX_*: prefix "${clash[1]}" is used twice`);
  }
  if (core.lifetimes.refreshToken > core.lifetimes.refreshFamily) core.lifetimes.refreshFamily = core.lifetimes.refreshToken;

  const cimdTrustedHosts = read({ env: 'GATEHOUSE_CIMD_TRUSTED_HOSTS', schema: schemas.hostNames }) ?? [];

  return { port, host, databaseUrl, logLevel, keyFile, production, cimdTrustedHosts, core };
}
