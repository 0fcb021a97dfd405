/**
 * The `gatehouse` command. Every command prints human-readable text by default and exactly one
 * JSON object with `--json` (errors included), so scripts can rely on stdout; failures also get
 * one line on stderr and a non-zero exit status (1: the operation failed, 2: usage error).
 */
import { readFile } from 'node:fs/promises';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import {
  defaultCoreConfig,
  keyRetentionSeconds,
  ConfigError,
  ConflictError,
  NotFoundError,
  ValidationError,
  addWorkspaceMember,
  createScope,
  createUser,
  createWorkspace,
  deleteClient,
  importScopes,
  listScopes,
  listSigningKeys,
  checkKeySecretRequired,
  loadConfig,
  migrateToLatest,
  openKeyRing,
  openDatabase,
  openStores,
  registerClient,
  requireUserByUsername,
  rotateClientSecret,
  rotateSigningKeys,
  setResourceServer,
  signingAlgs,
  startServer,
  toClientMetadata,
  toRegistrationResponse,
  type ServerConfig,
  type SigningAlg,
  type Stores,
} from '@gatehouse/server';

export interface CliIo {
  stdout(text: string): void;
  stderr(text: string): void;
  env: Record<string, string | undefined>;
  /** Read for `--password-stdin`. */
  stdin: AsyncIterable<string | Uint8Array>;
  /** Resolves when the server should stop (SIGINT/SIGTERM by default). */
  shutdownSignal(): Promise<void>;
}

type Values = Record<string, string | boolean | string[] | boolean[] | undefined>;
type Options = NonNullable<ParseArgsConfig['options']>;

interface Output {
  json: Record<string, unknown>;
  human: string;
}

interface Context {
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

interface Command {
  path: [string] | [string, string];
  summary: string;
  usage: string;
  details?: string;
  options?: Options;
  positionals?: string[];
  run(ctx: Context): Promise<Output>;
}

class UsageError extends Error {
  constructor(
    message: string,
    readonly command?: Command,
  ) {
    super(message);
    this.name = 'UsageError';
  }
}

const globalOptions = {
  database: { type: 'string' },
  'key-file': { type: 'string' },
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} satisfies Options;

const GLOBAL_HELP = `Global options:
  --database URL   sqlite:PATH, sqlite::memory: or postgres://… (default: $DATABASE_URL, else sqlite:./data/gatehouse.db)
  --key-file PATH  the key secret's file when GATEHOUSE_KEY_SECRET is unset (default: $GATEHOUSE_KEY_FILE, else beside the SQLite file)
  --json           print exactly one JSON object on stdout
  -h, --help       show help`;

/** The same retention rule the server's own purge job uses. */
const KEY_RETENTION_SECONDS = keyRetentionSeconds(defaultCoreConfig('http://localhost').lifetimes.idToken);

const now = (): number => Math.floor(Date.now() / 1000);
const str = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);
const list = (value: unknown): string[] | undefined => (Array.isArray(value) ? value.map(String) : undefined);
const iso = (seconds: number | null | undefined): string => (seconds == null ? '-' : new Date(seconds * 1000).toISOString());

function required(ctx: Context, name: string): string {
  const value = str(ctx.values[name]);
  if (value === undefined || value === '') throw new UsageError(`missing --${name}`);
  return value;
}

function positional(ctx: Context, index: number, name: string): string {
  const value = ctx.positionals[index];
  if (value === undefined || value === '') throw new UsageError(`missing ${name}`);
  return value;
}

/** Plain aligned columns for list commands. */
function table(headers: string[], rows: string[][]): string {
  if (rows.length === 0) return '(none)';
  const widths = headers.map((header, i) => Math.max(header.length, ...rows.map((row) => (row[i] ?? '').length)));
  const line = (cells: string[]): string => cells.map((cell, i) => cell.padEnd(widths[i] ?? 0)).join('  ').trimEnd();
  return [line(headers), ...rows.map(line)].join('\n');
}

async function readStdin(io: CliIo): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of io.stdin) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : Buffer.from(chunk));
  return Buffer.concat(chunks).toString('utf8').replace(/\r?\n$/, '');
}

const commands: Command[] = [
  {
    path: ['serve'],
    summary: 'Run the authorization server (applies pending migrations first)',
    usage: 'gatehouse serve [--port N] [--host H] [--issuer URL] [--log-level L]',
    details: 'Settings also come from the environment (PORT, HOST, GATEHOUSE_ISSUER, …); see docs/configuration.md.',
    options: { port: { type: 'string' }, host: { type: 'string' }, issuer: { type: 'string' }, 'log-level': { type: 'string' } },
    async run(ctx) {
      const config = ctx.config({
        port: str(ctx.values['port']),
        host: str(ctx.values['host']),
        issuer: str(ctx.values['issuer']),
        'log-level': str(ctx.values['log-level']),
      });
      const server = await startServer(config);
      const started = ctx.json ? JSON.stringify({ url: server.url, issuer: config.core.issuer }) : `Gatehouse listening on ${server.url} (issuer ${config.core.issuer})`;
      ctx.io.stdout(`${started}\n`);
      await ctx.io.shutdownSignal();
      await server.close();
      // The start line was the command's output; nothing more to print.
      return { json: {}, human: '' };
    },
  },
  {
    path: ['migrate'],
    summary: 'Apply pending database migrations',
    usage: 'gatehouse migrate',
    async run(ctx) {
      const settings = ctx.config();
      checkKeySecretRequired({ databaseUrl: settings.databaseUrl, keySecret: settings.core.keySecret, keyFile: settings.keyFile, production: settings.production });
      const handle = await openDatabase(settings.databaseUrl);
      try {
        const applied = await migrateToLatest(handle.db);
        // Then what every start does: keys created or sealed with the key secret.
        await ctx.withKeys(async () => undefined);
        return {
          json: { applied },
          human: applied.length === 0 ? 'Database is up to date.' : `Applied ${applied.length} migration(s): ${applied.join(', ')}`,
        };
      } finally {
        await handle.close();
      }
    },
  },
  {
    path: ['purge'],
    summary: 'Delete expired codes, tokens, revocation entries, sessions, secrets and retired keys',
    usage: 'gatehouse purge',
    async run(ctx) {
      return ctx.withKeys(async (stores) => {
        const report = await stores.purgeExpired(now(), { batchSize: 1000, maxBatches: 1000, keyRetentionSeconds: KEY_RETENTION_SECONDS });
        const counts = report as unknown as Record<string, number>;
        return {
          json: { ...counts },
          human: `Purged: ${Object.entries(counts)
            .map(([name, count]) => `${count} ${name.replace(/[A-Z]/g, (c) => ` ${c.toLowerCase()}`)}`)
            .join(', ')}`,
        };
      });
    },
  },
  {
    path: ['users', 'create'],
    summary: 'Create a user account',
    usage: 'gatehouse users create --username U (--password P | --password-stdin) [--email E] [--name N] [--admin]',
    details: 'Prefer --password-stdin: a password given as an argument is visible to other local users (ps).',
    options: {
      username: { type: 'string' },
      password: { type: 'string' },
      'password-stdin': { type: 'boolean' },
      email: { type: 'string' },
      name: { type: 'string' },
      admin: { type: 'boolean' },
    },
    async run(ctx) {
      const username = required(ctx, 'username');
      let password = str(ctx.values['password']);
      if (ctx.values['password-stdin'] === true) {
        if (password !== undefined) throw new UsageError('give either --password or --password-stdin, not both');
        password = await readStdin(ctx.io);
      }
      if (password === undefined) throw new UsageError('missing --password (or --password-stdin)');
      const input = { username, password, email: str(ctx.values['email']), name: str(ctx.values['name']), isAdmin: ctx.values['admin'] === true };
      return ctx.withStores(async (stores) => {
        const user = await createUser(stores, input);
        return {
          json: { id: user.id, username: user.username, email: user.email, name: user.name },
          human: `Created ${user.isAdmin ? 'admin ' : ''}user ${user.username} (id ${user.id})`,
        };
      });
    },
  },
  {
    path: ['workspaces', 'create'],
    summary: 'Create a workspace owned by a user',
    usage: 'gatehouse workspaces create --name N [--slug S] --owner USERNAME',
    details: 'Without --slug, one is derived from the name (lowercase letters, digits and "-").',
    options: { name: { type: 'string' }, slug: { type: 'string' }, owner: { type: 'string' } },
    async run(ctx) {
      const name = required(ctx, 'name');
      const owner = required(ctx, 'owner');
      return ctx.withStores(async (stores) => {
        const workspace = await createWorkspace(stores, { name, slug: str(ctx.values['slug']), ownerUsername: owner });
        return {
          json: { id: workspace.id, name: workspace.name, slug: workspace.slug, owner },
          human: `Created workspace "${workspace.name}" (slug ${workspace.slug}, id ${workspace.id}) owned by ${owner}`,
        };
      });
    },
  },
  {
    path: ['workspaces', 'add-member'],
    summary: "Add a user to a workspace, or change a member's role",
    usage: 'gatehouse workspaces add-member --workspace SLUG --user USERNAME [--role member|admin|owner]',
    options: { workspace: { type: 'string' }, user: { type: 'string' }, role: { type: 'string' } },
    async run(ctx) {
      const workspaceSlug = required(ctx, 'workspace');
      const username = required(ctx, 'user');
      const role = str(ctx.values['role']) ?? 'member';
      return ctx.withStores(async (stores) => {
        const result = await addWorkspaceMember(stores, { workspaceSlug, username, role });
        return {
          json: { workspace: result.workspace.slug, user: result.user.username, role: result.role },
          human: `${result.user.username} is now ${result.role} of ${result.workspace.slug}`,
        };
      });
    },
  },
  {
    path: ['scopes', 'create'],
    summary: 'Add a scope to the catalogue',
    usage: 'gatehouse scopes create --name N --description D [--requires-workspace]',
    details: 'Names look like project:read; the description is shown on the consent screen (1-200 characters).',
    options: { name: { type: 'string' }, description: { type: 'string' }, 'requires-workspace': { type: 'boolean' } },
    async run(ctx) {
      const name = required(ctx, 'name');
      const description = required(ctx, 'description');
      return ctx.withStores(async (stores) => {
        const scope = await createScope(stores, { name, description, requiresWorkspace: ctx.values['requires-workspace'] === true });
        return {
          json: { name: scope.name, description: scope.description, requires_workspace: scope.requiresWorkspace },
          human: `Created scope ${scope.name}${scope.requiresWorkspace ? ' (requires a workspace)' : ''}`,
        };
      });
    },
  },
  {
    path: ['scopes', 'list'],
    summary: 'List the scope catalogue',
    usage: 'gatehouse scopes list',
    async run(ctx) {
      return ctx.withStores(async (stores) => {
        const scopes = await listScopes(stores);
        return {
          json: {
            scopes: scopes.map((s) => ({ name: s.name, description: s.description, requires_workspace: s.requiresWorkspace, builtin: s.builtin })),
          },
          human: table(
            ['NAME', 'WORKSPACE', 'BUILTIN', 'DESCRIPTION'],
            scopes.map((s) => [s.name, s.requiresWorkspace ? 'yes' : 'no', s.builtin ? 'yes' : 'no', s.description]),
          ),
        };
      });
    },
  },
  {
    path: ['scopes', 'import'],
    summary: 'Create or update scopes from a JSON file (idempotent)',
    usage: 'gatehouse scopes import FILE',
    details: 'FILE holds a JSON array of {"name", "description", "requires_workspace"} objects; "-" reads stdin.',
    positionals: ['FILE'],
    async run(ctx) {
      const file = positional(ctx, 0, 'FILE');
      let text: string;
      try {
        text = file === '-' ? await readStdin(ctx.io) : await readFile(file, 'utf8');
      } catch (error) {
        throw new Error(`cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
      }
      return ctx.withStores(async (stores) => {
        const result = await importScopes(stores, text);
        return { json: { ...result }, human: `Imported scopes: ${result.created} created, ${result.updated} updated` };
      });
    },
  },
  {
    path: ['clients', 'create'],
    summary: 'Register an OAuth client',
    usage: `gatehouse clients create --name N [--redirect-uri URI]... [--homepage-url URL] [--logo-url URL]
      [--scope "a b"] [--auth-method client_secret_post|client_secret_basic|none] [--grant-type G]...
      [--visibility internal|unlisted|public] [--access-token-ttl S] [--refresh-token-ttl S]
      [--id-token-alg RS256|ES256] [--access-token-format opaque|jwt] [--owner USERNAME] [--owner-workspace SLUG]`,
    details: `Defaults: auth method client_secret_post, grant types authorization_code and refresh_token,
scopes "openid profile email", visibility unlisted. Redirect URIs must be https (http only for localhost,
127.0.0.1 and [::1]); native apps may use reverse-domain schemes such as com.example.app:/cb (RFC 8252).`,
    options: {
      name: { type: 'string' },
      description: { type: 'string' },
      'redirect-uri': { type: 'string', multiple: true },
      'homepage-url': { type: 'string' },
      'logo-url': { type: 'string' },
      scope: { type: 'string' },
      'auth-method': { type: 'string' },
      'grant-type': { type: 'string', multiple: true },
      visibility: { type: 'string' },
      'access-token-ttl': { type: 'string' },
      'refresh-token-ttl': { type: 'string' },
      'id-token-alg': { type: 'string' },
      'access-token-format': { type: 'string' },
      owner: { type: 'string' },
      'owner-workspace': { type: 'string' },
    },
    async run(ctx) {
      const v = ctx.values;
      return ctx.withStores(async (stores, config) => {
        const ownerName = str(v['owner']);
        const ownerUserId = ownerName === undefined ? null : (await requireUserByUsername(stores, ownerName)).id;
        const workspaceSlug = str(v['owner-workspace']);
        let ownerWorkspaceId: string | null = null;
        if (workspaceSlug !== undefined) {
          const workspace = await stores.findWorkspaceBySlug(workspaceSlug);
          if (!workspace) throw new NotFoundError('workspace', `workspace "${workspaceSlug}" not found`);
          ownerWorkspaceId = workspace.id;
        }
        const { client, clientSecret } = await registerClient(stores, config.core, {
          client_name: str(v['name']),
          description: str(v['description']),
          redirect_uris: list(v['redirect-uri']) ?? [],
          client_uri: str(v['homepage-url']),
          logo_uri: str(v['logo-url']),
          scope: str(v['scope']),
          token_endpoint_auth_method: str(v['auth-method']),
          grant_types: list(v['grant-type']),
          visibility: str(v['visibility']),
          access_token_ttl: str(v['access-token-ttl']),
          refresh_token_ttl: str(v['refresh-token-ttl']),
          id_token_signed_response_alg: str(v['id-token-alg']),
          access_token_format: str(v['access-token-format']),
          ownerUserId,
          ownerWorkspaceId,
        });
        const lines = [
          `Registered client "${client.name}"`,
          `  client_id:      ${client.id}`,
          `  auth method:    ${client.tokenEndpointAuthMethod}`,
          `  grant types:    ${client.grantTypes.join(' ')}`,
          `  scope:          ${client.scopes.join(' ') || '(none)'}`,
          `  redirect URIs:  ${client.redirectUris.join(' ') || '(none)'}`,
        ];
        if (clientSecret !== undefined) {
          lines.push(`  client_secret:  ${clientSecret}`, '', 'Store the client secret now: it is not shown again.');
        }
        return { json: { ...toRegistrationResponse(client, clientSecret) }, human: lines.join('\n') };
      });
    },
  },
  {
    path: ['clients', 'list'],
    summary: 'List registered clients',
    usage: 'gatehouse clients list',
    async run(ctx) {
      return ctx.withStores(async (stores) => {
        const clients = await stores.listClients();
        return {
          json: { clients: clients.map((c) => ({ ...toClientMetadata(c), resource_server: c.resourceServer })) },
          human: table(
            ['CLIENT_ID', 'NAME', 'AUTH', 'VISIBILITY', 'GRANTS'],
            clients.map((c) => [c.id, c.name, c.tokenEndpointAuthMethod, c.visibility, c.grantTypes.join(',')]),
          ),
        };
      });
    },
  },
  {
    path: ['clients', 'rotate-secret'],
    summary: 'Issue a new client secret',
    usage: 'gatehouse clients rotate-secret CLIENT_ID [--grace SECONDS]',
    details: 'Existing secrets keep working for --grace seconds (default 0: they stop at once, e.g. after a leak).',
    options: { grace: { type: 'string' } },
    positionals: ['CLIENT_ID'],
    async run(ctx) {
      const clientId = positional(ctx, 0, 'CLIENT_ID');
      const graceText = str(ctx.values['grace']) ?? '0';
      if (!/^\d+$/.test(graceText)) throw new ValidationError('grace', 'grace: must be a whole number of seconds');
      return ctx.withStores(async (stores, config) => {
        const at = now();
        const result = await rotateClientSecret(stores, config.core, clientId, { graceSeconds: Number(graceText), now: at });
        const until = result.previousSecretsValidUntil;
        return {
          json: { client_id: clientId, client_secret: result.clientSecret, previous_secrets_valid_until: until },
          human: [
            `New client secret for ${clientId}:`,
            `  ${result.clientSecret}`,
            '',
            'Store it now: it is not shown again.',
            until > at ? `Previous secrets keep working until ${iso(until)}.` : 'Previous secrets no longer work.',
          ].join('\n'),
        };
      });
    },
  },
  {
    path: ['clients', 'set-resource-server'],
    summary: 'Let a client introspect access tokens of other apps, or stop it',
    usage: 'gatehouse clients set-resource-server CLIENT_ID --on|--off',
    details:
      'Introspection and token resources answer a client about its own tokens only (RFC 7662 §4); a resource server, ' +
      'such as an API that checks the bearer tokens of other apps, may also see their access tokens. Confidential clients only.',
    options: { on: { type: 'boolean' }, off: { type: 'boolean' } },
    positionals: ['CLIENT_ID'],
    async run(ctx) {
      const clientId = positional(ctx, 0, 'CLIENT_ID');
      const on = ctx.values['on'] === true;
      if (on === (ctx.values['off'] === true)) throw new UsageError('give exactly one of --on and --off');
      return ctx.withStores(async (stores) => {
        const client = await setResourceServer(stores, clientId, on);
        return {
          json: { client_id: client.id, resource_server: client.resourceServer },
          human: client.resourceServer
            ? `${client.id} is a resource server: it may introspect access tokens of other apps.`
            : `${client.id} is not a resource server: it may introspect its own tokens only.`,
        };
      });
    },
  },
  {
    path: ['clients', 'delete'],
    summary: 'Delete a client with its secrets, grants and tokens',
    usage: 'gatehouse clients delete CLIENT_ID',
    positionals: ['CLIENT_ID'],
    async run(ctx) {
      const clientId = positional(ctx, 0, 'CLIENT_ID');
      return ctx.withStores(async (stores) => {
        await deleteClient(stores, clientId, now());
        return { json: { client_id: clientId, deleted: true }, human: `Deleted client ${clientId}` };
      });
    },
  },
  {
    path: ['keys', 'list'],
    summary: 'List signing keys',
    usage: 'gatehouse keys list',
    async run(ctx) {
      return ctx.withKeys(async (stores) => {
        const keys = await listSigningKeys(stores);
        return {
          json: {
            keys: keys.map((k) => ({ kid: k.kid, alg: k.alg, state: k.state, created_at: k.createdAt, activated_at: k.activatedAt, retired_at: k.retiredAt })),
          },
          human: table(
            ['KID', 'ALG', 'STATE', 'CREATED', 'ACTIVATED', 'RETIRED'],
            keys.map((k) => [k.kid, k.alg, k.state, iso(k.createdAt), iso(k.activatedAt), iso(k.retiredAt)]),
          ),
        };
      });
    },
  },
  {
    path: ['keys', 'rotate'],
    summary: 'Rotate signing keys: next becomes current, current is retired',
    usage: 'gatehouse keys rotate [--alg ES256|RS256]',
    details: 'The pre-published next key takes over, so clients that cache the JWKS already know it. Default alg: RS256.',
    options: { alg: { type: 'string' } },
    async run(ctx) {
      const alg = str(ctx.values['alg']) ?? 'RS256';
      if (!(signingAlgs as readonly string[]).includes(alg)) {
        throw new ValidationError('alg', `alg: must be one of ${signingAlgs.join(', ')}`);
      }
      return ctx.withKeys(async (stores, config) => {
        const result = await rotateSigningKeys(stores, { alg: alg as SigningAlg, keySecret: config.core.keySecret, now: now() });
        return { json: { kid: result.kid, alg: result.alg }, human: `Rotated ${result.alg} signing keys; now signing with kid ${result.kid}` };
      });
    },
  },
];

const groups = [...new Set(commands.filter((c) => c.path.length === 2).map((c) => c.path[0]))];

function topHelp(): string {
  const width = Math.max(...commands.map((c) => c.path.join(' ').length));
  return [
    'Usage: gatehouse <command> [options]',
    '',
    'Commands:',
    ...commands.map((c) => `  ${c.path.join(' ').padEnd(width)}  ${c.summary}`),
    '',
    GLOBAL_HELP,
    '',
    "Run 'gatehouse <command> --help' for a command's options.",
  ].join('\n');
}

function groupHelp(group: string): string {
  const members = commands.filter((c) => c.path[0] === group);
  const width = Math.max(...members.map((c) => c.path.join(' ').length));
  return [
    `Usage: gatehouse ${group} <${members.map((c) => c.path[1]).join('|')}> [options]`,
    '',
    ...members.map((c) => `  ${c.path.join(' ').padEnd(width)}  ${c.summary}`),
    '',
    GLOBAL_HELP,
  ].join('\n');
}

function commandHelp(command: Command): string {
  return [`Usage: ${command.usage}`, '', command.summary + '.', ...(command.details ? ['', command.details] : []), '', GLOBAL_HELP].join('\n');
}

/** Splits leading command words from options; global options may come before the command. */
function splitCommand(argv: string[]): { words: string[]; rest: string[] } {
  const words: string[] = [];
  const rest: string[] = [];
  let i = 0;
  for (; i < argv.length && words.length < 2; i++) {
    const arg = argv[i]!;
    if (arg === '--database' || arg === '--key-file') {
      rest.push(arg, ...(i + 1 < argv.length ? [argv[++i]!] : []));
    } else if (arg === '--json' || arg === '--help' || arg === '-h' || arg.startsWith('--database=') || arg.startsWith('--key-file=')) {
      rest.push(arg);
    } else if (arg.startsWith('-')) {
      break;
    } else {
      words.push(arg);
      if (words.length === 1 && !groups.includes(arg)) {
        i++;
        break;
      }
    }
  }
  return { words, rest: [...rest, ...argv.slice(i)] };
}

function oneLine(error: unknown): string {
  if (error instanceof AggregateError && error.errors.length > 0 && !error.message) return oneLine(error.errors[0]);
  const err = error as { message?: unknown; code?: unknown };
  const message = typeof err?.message === 'string' && err.message !== '' ? err.message : typeof err?.code === 'string' ? err.code : String(error);
  return message.replace(/\s*\n\s*/g, ' ').trim();
}

/** By name as well as class, so errors from a second copy of the server package are still recognised. */
function errorKind(error: unknown): string {
  const is = (type: { name: string; prototype: object }): boolean =>
    error instanceof (type as unknown as new () => object) || (error as Error | undefined)?.name === type.name;
  if (is(UsageError)) return 'usage';
  if (is(ValidationError)) return 'invalid_input';
  if (is(ConflictError)) return 'conflict';
  if (is(NotFoundError)) return 'not_found';
  if (is(ConfigError)) return 'invalid_config';
  return 'error';
}

function errorField(error: unknown): string | undefined {
  const { field, setting } = (error ?? {}) as { field?: unknown; setting?: unknown };
  if (typeof setting === 'string') return setting;
  return typeof field === 'string' ? field : undefined;
}

const defaultIo = (): CliIo => ({
  stdout: (text) => void process.stdout.write(text),
  stderr: (text) => void process.stderr.write(text),
  env: process.env,
  stdin: process.stdin,
  shutdownSignal: () =>
    new Promise((resolve) => {
      process.once('SIGINT', () => resolve());
      process.once('SIGTERM', () => resolve());
    }),
});

/** Runs the CLI and returns the exit status. Never throws. */
export async function main(argv: string[], ioOverrides: Partial<CliIo> = {}): Promise<number> {
  const io: CliIo = { ...defaultIo(), ...ioOverrides };
  const wantsJson = argv.includes('--json');
  let command: Command | undefined;
  try {
    const { words, rest } = splitCommand(argv);
    const wantsHelp = rest.includes('--help') || rest.includes('-h');
    const [first, second] = words;
    if (first === undefined || (first === 'help' && second === undefined)) {
      if (wantsHelp || first === 'help') return print(io, wantsJson, { json: { usage: topHelp() }, human: topHelp() });
      throw new UsageError('missing command');
    }
    if (groups.includes(first) && second === undefined) {
      if (wantsHelp) return print(io, wantsJson, { json: { usage: groupHelp(first) }, human: groupHelp(first) });
      throw new UsageError(`missing ${first} subcommand (${commands.filter((c) => c.path[0] === first).map((c) => c.path[1]).join(', ')})`);
    }
    command = commands.find((c) => c.path[0] === first && c.path[1] === (c.path.length === 2 ? second : undefined));
    if (!command) throw new UsageError(`unknown command "${words.join(' ')}"`);
    if (wantsHelp) return print(io, wantsJson, { json: { usage: commandHelp(command) }, human: commandHelp(command) });

    let parsed: { values: Values; positionals: string[] };
    try {
      parsed = parseArgs({
        args: rest,
        options: { ...globalOptions, ...command.options },
        allowPositionals: true,
        strict: true,
      }) as { values: Values; positionals: string[] };
    } catch (error) {
      throw new UsageError(oneLine(error).replace(/ To specify a positional argument.*$/, ''));
    }
    const expected = command.positionals ?? [];
    if (parsed.positionals.length > expected.length) {
      throw new UsageError(`unexpected argument "${parsed.positionals[expected.length]}"`);
    }
    const values = parsed.values;
    const json = values['json'] === true;
    const database = str(values['database']);
    const keyFile = str(values['key-file']);
    const config = (extra: Record<string, string | boolean | undefined> = {}): ServerConfig =>
      loadConfig({ flags: { database, 'key-file': keyFile, ...extra }, env: io.env });
    const ctx: Context = {
      io,
      json,
      values,
      positionals: parsed.positionals,
      config,
      async withStores(run) {
        const settings = config();
        const opened = await openStores(settings.databaseUrl);
        try {
          return await run(opened.stores, settings);
        } finally {
          await opened.close();
        }
      },
      async withKeys(run) {
        const settings = config();
        const keyOptions = { databaseUrl: settings.databaseUrl, keySecret: settings.core.keySecret, keyFile: settings.keyFile, production: settings.production };
        checkKeySecretRequired(keyOptions);
        const opened = await openStores(settings.databaseUrl);
        try {
          const { resolved } = await openKeyRing(opened.stores, { ...keyOptions, now: now() });
          return await run(opened.stores, { ...settings, core: { ...settings.core, keySecret: resolved.secret } });
        } finally {
          await opened.close();
        }
      },
    };
    const output = await command.run(ctx);
    if (command.path[0] === 'serve') return 0;
    return print(io, json, output);
  } catch (error) {
    const message = oneLine(error);
    const kind = errorKind(error);
    if (wantsJson) {
      const field = errorField(error);
      io.stdout(`${JSON.stringify({ error: kind, message, ...(field === undefined ? {} : { field }) })}\n`);
    }
    const hint = error instanceof UsageError ? ` (see 'gatehouse ${command ? command.path.join(' ') + ' ' : ''}--help')` : '';
    io.stderr(`gatehouse: ${message}${hint}\n`);
    return kind === 'usage' ? 2 : 1;
  }
}

function print(io: CliIo, json: boolean, output: Output): number {
  io.stdout(json ? `${JSON.stringify(output.json)}\n` : output.human === '' ? '' : `${output.human}\n`);
  return 0;
}
