/**
 * What every command shares: the command table's types, the global options, and the small helpers for
 * reading options and printing. A command returns both of its outputs (JSON and human); `main` picks one.
 */
import type { ParseArgsConfig } from 'node:util';
import type { ManageDeps, ServerConfig, Stores } from '@gatehouse/server';

export interface CliIo {
  stdout(text: string): void;
  stderr(text: string): void;
  env: Record<string, string | undefined>;
  /** Read for `--password-stdin`. */
  stdin: AsyncIterable<string | Uint8Array>;
  /** Resolves when the server should stop (SIGINT/SIGTERM by default). */
  shutdownSignal(): Promise<void>;
}

export type Values = Record<string, string | boolean | string[] | boolean[] | undefined>;
export type Options = NonNullable<ParseArgsConfig['options']>;

export interface Output {
  json: Record<string, unknown>;
  human: string;
}

export interface Context {
  io: CliIo;
  json: boolean;
  values: Values;
  positionals: string[];
  /** Settings from flags and environment (validated). */
  config(extraFlags?: Record<string, string | boolean | undefined>): ServerConfig;
  withStores<T>(run: (stores: Stores, config: ServerConfig) => Promise<T>): Promise<T>;
  /**
   * `withStores` after resolving the key secret as the server does (GATEHOUSE_KEY_SECRET, else the
   * key file) and opening the key ring: plaintext keys of earlier versions are sealed, a wrong
   * secret stops the command. `config.core.keySecret` is the resolved secret.
   */
  withKeys<T>(run: (stores: Stores, config: ServerConfig) => Promise<T>): Promise<T>;
}

export interface Command {
  path: [string] | [string, string];
  summary: string;
  usage: string;
  details?: string;
  options?: Options;
  positionals?: string[];
  run(ctx: Context): Promise<Output>;
}

export class UsageError extends Error {
  constructor(
    message: string,
    readonly command?: Command,
  ) {
    super(message);
    this.name = 'UsageError';
  }
}

export const globalOptions = {
  database: { type: 'string' },
  'key-file': { type: 'string' },
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} satisfies Options;

export const GLOBAL_HELP = `Global options:
  --database URL   sqlite:PATH, sqlite::memory: or postgres://… (default: $DATABASE_URL, else sqlite:./data/gatehouse.db)
  --key-file PATH  the key secret's file when GATEHOUSE_KEY_SECRET is unset (default: $GATEHOUSE_KEY_FILE, else beside the SQLite file)
  --json           print exactly one JSON object on stdout
  -h, --help       show help`;

export const now = (): number => Math.floor(Date.now() / 1000);
/** What the management services take: the command's stores, the core settings and the wall clock. */
export const manageDeps = (stores: Stores, config: ServerConfig): ManageDeps => ({ stores, config: config.core, now });
export const str = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);
export const list = (value: unknown): string[] | undefined => (Array.isArray(value) ? value.map(String) : undefined);
export const iso = (seconds: number | null | undefined): string => (seconds == null ? '-' : new Date(seconds * 1000).toISOString());

export function required(ctx: Context, name: string): string {
  const value = str(ctx.values[name]);
  if (value === undefined || value === '') throw new UsageError(`missing --${name}`);
  return value;
}

export function positional(ctx: Context, index: number, name: string): string {
  const value = ctx.positionals[index];
  if (value === undefined || value === '') throw new UsageError(`missing ${name}`);
  return value;
}

/** Plain aligned columns for list commands. */
export function table(headers: string[], rows: string[][]): string {
  if (rows.length === 0) return '(none)';
  const widths = headers.map((header, i) => Math.max(header.length, ...rows.map((row) => (row[i] ?? '').length)));
  const line = (cells: string[]): string => cells.map((cell, i) => cell.padEnd(widths[i] ?? 0)).join('  ').trimEnd();
  return [line(headers), ...rows.map(line)].join('\n');
}

export async function readStdin(io: CliIo): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of io.stdin) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : Buffer.from(chunk));
  return Buffer.concat(chunks).toString('utf8').replace(/\r?\n$/, '');
}
