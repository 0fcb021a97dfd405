/** `gatehouse clients …`: registered OAuth clients (RFC 7591 field names in JSON output). */
import {
  DEFAULT_AUTH_METHOD,
  LOOPBACK_HOSTS_TEXT,
  NotFoundError,
  ValidationError,
  defaultGrantTypes,
  grantTypes,
  tokenEndpointAuthMethods,
  deleteClient,
  registerClient,
  requireUserByUsername,
  rotateClientSecret,
  setResourceServer,
  toClientMetadata,
  toRegistrationResponse,
} from '@gatehouse/server';
import { UsageError, now, str, list, iso, positional, table, type Command, manageDeps } from '../framework.js';

export const clientsCommands: Command[] = [
  {
    path: ['clients', 'create'],
    summary: 'Register an OAuth client',
    usage: `gatehouse clients create --name N [--redirect-uri URI]... [--homepage-url URL] [--logo-url URL]
      [--scope "a b"] [--auth-method ${tokenEndpointAuthMethods.join('|')}]
      [--grant-type ${grantTypes.join('|')}]...
      [--visibility internal|unlisted|public] [--access-token-ttl S] [--refresh-token-ttl S]
      [--id-token-alg RS256|ES256] [--access-token-format opaque|jwt] [--owner USERNAME] [--owner-workspace SLUG]`,
    details: `Defaults: auth method ${DEFAULT_AUTH_METHOD}, grant types ${defaultGrantTypes.join(' and ')},
scopes "openid profile email", visibility unlisted. Redirect URIs must be https (http only for ${LOOPBACK_HOSTS_TEXT});
native apps may use reverse-domain schemes such as com.example.app:/cb (RFC 8252).`,
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
        const ownerUserId = ownerName === undefined ? null : (await requireUserByUsername(manageDeps(stores, config), ownerName)).id;
        const workspaceSlug = str(v['owner-workspace']);
        let ownerWorkspaceId: string | null = null;
        if (workspaceSlug !== undefined) {
          const workspace = await stores.findWorkspaceBySlug(workspaceSlug);
          if (!workspace) throw new NotFoundError('workspace', `workspace "${workspaceSlug}" not found`);
          ownerWorkspaceId = workspace.id;
        }
        const { client, clientSecret } = await registerClient(manageDeps(stores, config), {
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
      return ctx.withStores(async (stores, config) => {
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
        const result = await rotateClientSecret({ ...manageDeps(stores, config), now: () => at }, clientId, { graceSeconds: Number(graceText) });
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
      return ctx.withStores(async (stores, config) => {
        const client = await setResourceServer(manageDeps(stores, config), clientId, on);
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
      return ctx.withStores(async (stores, config) => {
        await deleteClient(manageDeps(stores, config), clientId);
        return { json: { client_id: clientId, deleted: true }, human: `Deleted client ${clientId}` };
      });
    },
  },
];
