/**
 * The key secret that seals private signing keys and the access-token master key in the
 * database, so that a copy of the database alone opens no key, mints no token and forges no
 * signature. Resolved once per process, before the key ring opens, in this order:
 *
 * 1. `GATEHOUSE_KEY_SECRET`;
 * 2. the key file (`GATEHOUSE_KEY_FILE` / `--key-file`; by default next to the SQLite file,
 *    `./data/gatehouse.key` for `sqlite:./data/gatehouse.db`, and `./data/gatehouse.key` for
 *    Postgres outside production), created with a random secret on first start (mode 0600);
 * 3. `sqlite::memory:`: a random secret held in memory (the database does not outlive it).
 *
 * Postgres in production (`NODE_ENV=production`) needs the secret explicitly: every instance
 * must share it, and a file made on one machine would not be on the others.
 */
import { randomBytes } from 'node:crypto';
import { link, mkdir, open, readFile, stat, unlink } from 'node:fs/promises';
import { basename, dirname, extname, join, resolve } from 'node:path';
import { KeyRing, KeySecretError, storedKeysSealed } from '../core/keys/keyring.js';
import type { Stores } from '../core/stores.js';
import { ConfigError } from './index.js';

export interface KeySecretOptions {
  databaseUrl: string;
  /** `GATEHOUSE_KEY_SECRET`, validated by loadConfig. */
  keySecret: string | undefined;
  /** `GATEHOUSE_KEY_FILE` / `--key-file`. */
  keyFile: string | undefined;
  production: boolean;
}

export interface ResolvedKeySecret {
  secret: string;
  source: 'environment' | 'key-file' | 'generated' | 'memory';
  /** The key file read or created. */
  file?: string;
}

const SECRET_TEXT = /^[\x21-\x7e]{32,1024}$/;
const isPostgres = (url: string): boolean => /^postgres(?:ql)?:/.test(url);

/** Where the key file is kept when no path is configured; undefined for an in-memory database. */
export function defaultKeyFile(databaseUrl: string): string | undefined {
  if (isPostgres(databaseUrl)) return resolve('data', 'gatehouse.key');
  if (!databaseUrl.startsWith('sqlite:')) return undefined;
  let path = databaseUrl.slice('sqlite:'.length);
  if (path.startsWith('//')) path = path.slice(2);
  if (path === ':memory:' || path === '') return undefined;
  const file = resolve(path);
  return join(dirname(file), `${basename(file, extname(file))}.key`);
}

/**
 * Fails before the database is opened when the deployment cannot have a key secret: Postgres in
 * production with neither GATEHOUSE_KEY_SECRET nor GATEHOUSE_KEY_FILE.
 */
export function checkKeySecretRequired(options: KeySecretOptions): void {
  if (options.keySecret === undefined && options.keyFile === undefined && options.production && isPostgres(options.databaseUrl)) {
    throw new ConfigError(
      'GATEHOUSE_KEY_SECRET',
      'GATEHOUSE_KEY_SECRET is required with Postgres in production (NODE_ENV=production): set it (openssl rand -base64 32), the same on every instance, or set GATEHOUSE_KEY_FILE to an existing key file',
    );
  }
}

/** Reads and checks a key file: a regular file, readable by its owner only, holding one line of at least 32 printable characters. */
async function readKeyFile(file: string): Promise<string> {
  const info = await stat(file).catch((error: NodeJS.ErrnoException) => {
    throw new ConfigError('GATEHOUSE_KEY_FILE', `Invalid setting GATEHOUSE_KEY_FILE: cannot read the key file ${file} (${error.code ?? error.message})`);
  });
  if (!info.isFile()) throw new ConfigError('GATEHOUSE_KEY_FILE', `Invalid setting GATEHOUSE_KEY_FILE: ${file} is not a file`);
  if (process.platform !== 'win32' && (info.mode & 0o077) !== 0) {
    throw new ConfigError(
      'GATEHOUSE_KEY_FILE',
      `Invalid setting GATEHOUSE_KEY_FILE: the key file ${file} is readable by other users (mode ${(info.mode & 0o777).toString(8).padStart(4, '0')}); run chmod 600 ${file}`,
    );
  }
  const text = (
    await readFile(file, 'utf8').catch((error: NodeJS.ErrnoException) => {
      throw new ConfigError('GATEHOUSE_KEY_FILE', `Invalid setting GATEHOUSE_KEY_FILE: cannot read the key file ${file} (${error.code ?? error.message})`);
    })
  ).replace(/\r?\n$/, '');
  if (!SECRET_TEXT.test(text)) {
    throw new ConfigError(
      'GATEHOUSE_KEY_FILE',
      `Invalid setting GATEHOUSE_KEY_FILE: the key file ${file} does not hold a key secret (one line of 32 to 1024 printable characters, no spaces)`,
    );
  }
  return text;
}

const exists = (file: string): Promise<boolean> =>
  stat(file).then(
    () => true,
    (error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') return false;
      throw error;
    },
  );

/**
 * Creates the key file with a fresh secret, atomically: written in full to a private temporary
 * file, then hard-linked into place, which fails if another process got there first (its secret
 * is then the one read and used).
 */
async function createKeyFile(file: string): Promise<{ secret: string; created: boolean }> {
  const secret = randomBytes(32).toString('base64url');
  const temporary = `${file}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`;
  const handle = await mkdir(dirname(file), { recursive: true, mode: 0o700 })
    .then(() => open(temporary, 'wx', 0o600))
    .catch((error: NodeJS.ErrnoException) => {
      throw new ConfigError('GATEHOUSE_KEY_FILE', `Invalid setting GATEHOUSE_KEY_FILE: cannot create the key file ${file} (${error.code ?? error.message})`);
    });
  try {
    await handle.writeFile(`${secret}\n`);
    await handle.chmod(0o600);
    await handle.sync();
  } finally {
    await handle.close();
  }
  try {
    await link(temporary, file);
    return { secret, created: true };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    return { secret: await readKeyFile(file), created: false };
  } finally {
    await unlink(temporary).catch(() => {});
  }
}

/** The key secret for the opened database (see the module comment). Throws ConfigError naming the setting. */
export async function resolveKeySecret(stores: Stores, options: KeySecretOptions): Promise<ResolvedKeySecret> {
  checkKeySecretRequired(options);
  if (options.keySecret !== undefined) return { secret: options.keySecret, source: 'environment' };
  const file = options.keyFile === undefined ? defaultKeyFile(options.databaseUrl) : resolve(options.keyFile);
  if (file === undefined) return { secret: randomBytes(32).toString('base64url'), source: 'memory' };
  // The database is read before the file is looked for: an instance that creates the file does so
  // before it seals anything, so sealed rows seen here mean the file, if any, is already there.
  const sealed = await storedKeysSealed(stores);
  if (await exists(file)) return { secret: await readKeyFile(file), source: 'key-file', file };
  const explicit = options.keyFile !== undefined;
  if (explicit && options.production && isPostgres(options.databaseUrl)) {
    throw new ConfigError(
      'GATEHOUSE_KEY_FILE',
      `Invalid setting GATEHOUSE_KEY_FILE: the key file ${file} does not exist (Postgres in production uses an existing key file or GATEHOUSE_KEY_SECRET)`,
    );
  }
  if (sealed) {
    throw new ConfigError(
      explicit ? 'GATEHOUSE_KEY_FILE' : 'GATEHOUSE_KEY_SECRET',
      `The keys in this database are sealed, but the key file ${file} does not exist: set GATEHOUSE_KEY_SECRET, or GATEHOUSE_KEY_FILE to the key file they were sealed with`,
    );
  }
  const { secret, created } = await createKeyFile(file);
  return { secret, source: created ? 'generated' : 'key-file', file };
}

/** Turns the key ring's KeySecretError into a ConfigError that says where the secret came from. */
export function keySecretFailure(error: unknown, resolved: ResolvedKeySecret | undefined): unknown {
  if (!(error instanceof KeySecretError) || !resolved) return error;
  if (resolved.source === 'environment') {
    return new ConfigError('GATEHOUSE_KEY_SECRET', `${error.message} (not the secret this database was sealed with)`);
  }
  const message = error.message.replace('the configured GATEHOUSE_KEY_SECRET', `the key file ${resolved.file ?? ''}`);
  return new ConfigError(
    'GATEHOUSE_KEY_FILE',
    `${message}: the database was sealed with another secret; set GATEHOUSE_KEY_SECRET or GATEHOUSE_KEY_FILE to the one it was sealed with`,
  );
}

/**
 * Resolves the key secret and opens the key ring with it: creates missing keys sealed, seals
 * plaintext ones left by earlier versions, and checks the secret opens what is stored. What the
 * server and every CLI command that touches keys run at start.
 */
export async function openKeyRing(stores: Stores, options: KeySecretOptions & { now: number }): Promise<{ keys: KeyRing; resolved: ResolvedKeySecret }> {
  let resolved: ResolvedKeySecret | undefined;
  try {
    resolved = await resolveKeySecret(stores, options);
    const keys = new KeyRing(stores, resolved.secret);
    await keys.init(options.now);
    return { keys, resolved };
  } catch (error) {
    throw keySecretFailure(error, resolved);
  }
}
