/** /developer/apps: the developer dashboard (register, edit, rotate secrets, delete). */
import type { Context, Hono } from 'hono';
import { clientAuthMethods, RECOMMENDED_AUTH_METHOD } from '../../core/client-auth/methods.js';
import { defaultGrantTypes, grantRegistry } from '../../core/grants/registry.js';
import { administeredWorkspaces, findManagedClient, listManagedClients, ownerLabel, registerManagedClient, updateManagedClient } from '../../core/manage/apps.js';
import { deleteClient, rotateClientSecret, type ClientMetadataInput } from '../../core/manage/clients.js';
import { listScopes } from '../../core/manage/scopes.js';
import { controlCharacterError } from '../../core/params.js';
import type { Client } from '../../core/model.js';
import { shellQuote } from '../../ui/format.js';
import { AppDetailPage, AppFormPage, DeveloperAppsPage, type AppFormChoices, type AppFormValues } from '../../ui/index.js';
import { paths } from '../../ui/routes.js';
import { withNotice, type Form, type Kit, type Signed } from './kit.js';

/** RFC 7591 field names (ValidationError.field) → the form's field names. */
const FIELD_FOR: Record<string, string> = {
  client_name: 'name',
  client_uri: 'homepage_url',
  logo_uri: 'logo_url',
  description: 'description',
  redirect_uris: 'redirect_uris',
  token_endpoint_auth_method: 'token_endpoint_auth_method',
  grant_types: 'grant_type',
  response_types: 'grant_type',
  scope: 'scope',
  visibility: 'visibility',
  access_token_ttl: 'access_token_ttl',
  refresh_token_ttl: 'refresh_token_ttl',
  id_token_signed_response_alg: 'id_token_signed_response_alg',
  access_token_format: 'access_token_format',
  owner: 'owner',
  grace: 'grace_period',
};

/** What the app form offers: the registries' auth methods and grant types, with their descriptions. */
const appFormChoices: AppFormChoices = { authMethods: clientAuthMethods, grantTypes: grantRegistry };

/** The app form's own fields, which can show an error beside them. */
const FORM_FIELDS = new Set(Object.values(FIELD_FOR));

/** The submitted form as the page re-renders it. */
function formValues(form: Form): AppFormValues {
  const { params, all } = form;
  return {
    name: params.get('name') ?? '',
    homepageUrl: params.get('homepage_url') ?? '',
    logoUrl: params.get('logo_url') ?? '',
    description: params.get('description') ?? '',
    redirectUris: params.get('redirect_uris') ?? '',
    tokenEndpointAuthMethod: params.get('token_endpoint_auth_method') ?? RECOMMENDED_AUTH_METHOD,
    scopes: all('scope'),
    grantTypes: all('grant_type'),
    visibility: params.get('visibility') ?? 'internal',
    accessTokenTtl: params.get('access_token_ttl') ?? '',
    refreshTokenTtl: params.get('refresh_token_ttl') ?? '',
    idTokenSignedResponseAlg: params.get('id_token_signed_response_alg') ?? 'RS256',
    accessTokenFormat: params.get('access_token_format') ?? 'opaque',
    owner: params.get('owner') ?? 'me',
  };
}

/** Form → RFC 7591 metadata. Empty optional fields clear the setting. */
function metadataFrom(form: Form): ClientMetadataInput {
  const { params, all } = form;
  const orNull = (name: string) => params.get(name) ?? null;
  return {
    client_name: params.get('name') ?? '',
    description: params.get('description') ?? null,
    client_uri: orNull('homepage_url'),
    logo_uri: orNull('logo_url'),
    redirect_uris: (params.get('redirect_uris') ?? '')
      .split(/\r?\n/)
      .map((line) => line.trim())
      .filter((line) => line !== ''),
    token_endpoint_auth_method: params.get('token_endpoint_auth_method') ?? RECOMMENDED_AUTH_METHOD,
    grant_types: all('grant_type'),
    scope: all('scope'),
    visibility: params.get('visibility') ?? 'internal',
    access_token_ttl: orNull('access_token_ttl'),
    refresh_token_ttl: orNull('refresh_token_ttl'),
    id_token_signed_response_alg: params.get('id_token_signed_response_alg') ?? 'RS256',
    access_token_format: params.get('access_token_format') ?? 'opaque',
  };
}

const valuesFromClient = (client: Client): AppFormValues => ({
  name: client.name,
  homepageUrl: client.homepageUrl,
  logoUrl: client.logoUrl,
  description: client.description,
  redirectUris: client.redirectUris,
  tokenEndpointAuthMethod: client.tokenEndpointAuthMethod,
  scopes: client.scopes,
  grantTypes: client.grantTypes,
  visibility: client.visibility,
  accessTokenTtl: client.accessTokenTtl,
  refreshTokenTtl: client.refreshTokenTtl,
  idTokenSignedResponseAlg: client.idTokenSignedResponseAlg,
  accessTokenFormat: client.accessTokenFormat,
  owner: client.ownerWorkspaceId ? `workspace:${client.ownerWorkspaceId}` : 'me',
});

/**
 * Example requests for the app's own settings, with placeholders for the per-request values.
 * Every value taken from the app's settings or the server's is passed through shellQuote, so
 * the command pasted into a shell sends exactly those values and runs nothing else.
 */
export function exampleRequests(issuer: string, client: Client): { authorizeUrl: string; curl: string } {
  const base = issuer.replace(/\/$/, '');
  const redirectUri = client.redirectUris[0] ?? 'REDIRECT_URI';
  const scope = client.scopes.length ? client.scopes.join(' ') : 'openid';
  const hasCode = client.grantTypes.includes('authorization_code');
  const authorizeUrl = hasCode
    ? `${base}/oauth/authorize?${new URLSearchParams({
        response_type: 'code',
        client_id: client.id,
        redirect_uri: redirectUri,
        scope,
        state: 'STATE',
        code_challenge: 'CODE_CHALLENGE',
        code_challenge_method: 'S256',
      })}`.replace(/\+/g, '%20')
    : 'This app does not use the authorization_code grant.';
  const lines = [`curl -X POST ${shellQuote(`${base}/oauth/token`)} \\`];
  if (client.tokenEndpointAuthMethod === 'client_secret_basic') lines.push(`  -u ${shellQuote(`${client.id}:CLIENT_SECRET`)} \\`);
  if (hasCode) {
    lines.push('  -d grant_type=authorization_code \\', '  -d code=CODE \\', `  --data-urlencode ${shellQuote(`redirect_uri=${redirectUri}`)} \\`, '  -d code_verifier=CODE_VERIFIER');
  } else {
    lines.push('  -d grant_type=client_credentials \\', `  --data-urlencode ${shellQuote(`scope=${client.scopes.filter((s) => s !== 'openid').join(' ')}`)}`);
  }
  const clientId = `--data-urlencode ${shellQuote(`client_id=${client.id}`)}`;
  if (client.tokenEndpointAuthMethod === 'client_secret_post') lines[lines.length - 1] += ` \\\n  ${clientId} \\\n  -d client_secret=CLIENT_SECRET`;
  if (client.tokenEndpointAuthMethod === 'none') lines[lines.length - 1] += ` \\\n  ${clientId}`;
  return { authorizeUrl, curl: lines.join('\n') };
}

export function mountDeveloperRoutes(app: Hono, kit: Kit): void {
  const { deps } = kit;
  const defaults = { accessTokenTtl: deps.config.lifetimes.accessToken, refreshTokenTtl: deps.config.lifetimes.refreshToken };

  const ownerOptions = async (s: Signed) => [
    { value: 'me', label: `You (${s.user.username})` },
    ...(await administeredWorkspaces(deps, s.user.id)).map((ws) => ({ value: `workspace:${ws.id}`, label: `Workspace: ${ws.name}` })),
  ];

  const formPage = async (c: Context, s: Signed, mode: 'create' | 'edit', values: AppFormValues, errors: Record<string, string | undefined>, status: number, client?: Client, error?: string) => {
    const catalogue = (await listScopes(deps)).map(({ name, description, requiresWorkspace }) => ({ name, description, requiresWorkspace }));
    return kit.html(
      c,
      <AppFormPage
        {...s.props}
        {...(error ? { error } : {})}
        mode={mode}
        action={client ? paths.editApp(client.id) : paths.newApp}
        values={values}
        errors={errors}
        scopeCatalogue={catalogue}
        choices={appFormChoices}
        ownerOptions={await ownerOptions(s)}
        {...(client ? { cancelUrl: paths.app(client.id) } : {})}
        defaults={defaults}
      />,
      status,
    );
  };

  const detailPage = async (c: Context, s: Signed, client: Client, justCreatedSecret?: string, status = 200) => {
    const examples = exampleRequests(deps.config.issuer, client);
    const secrets = client.tokenEndpointAuthMethod === 'none' ? [] : await deps.stores.listActiveSecrets(client.id, deps.now());
    const owner = await ownerLabel(deps, client);
    const page = (
      <AppDetailPage
        {...s.props}
        app={{
          id: client.id,
          name: client.name,
          description: client.description,
          homepageUrl: client.homepageUrl,
          logoUrl: client.logoUrl,
          redirectUris: client.redirectUris,
          tokenEndpointAuthMethod: client.tokenEndpointAuthMethod,
          scopes: client.scopes,
          grantTypes: client.grantTypes,
          visibility: client.visibility,
          verified: client.verified,
          accessTokenTtl: client.accessTokenTtl,
          refreshTokenTtl: client.refreshTokenTtl,
          idTokenSignedResponseAlg: client.idTokenSignedResponseAlg,
          accessTokenFormat: client.accessTokenFormat,
          createdAt: client.createdAt,
          ...(owner ? { ownerLabel: owner } : {}),
        }}
        secrets={secrets.map(({ id, displayPrefix, createdAt, expiresAt }) => ({ id, displayPrefix, createdAt, expiresAt }))}
        authorizedUsers={await deps.stores.countGrants(client.id)}
        issuer={deps.config.issuer}
        exampleAuthorizeUrl={examples.authorizeUrl}
        exampleCurl={examples.curl}
        {...(justCreatedSecret ? { justCreatedSecret: { clientId: client.id, clientSecret: justCreatedSecret } } : {})}
      />
    );
    // The plain secret exists only in this response: never cached, never stored.
    return kit.html(c, page, status);
  };

  /** Loads an app the user manages, or answers 404 (also for apps that exist but are someone else's). */
  const managed =
    <A extends unknown[]>(run: (c: Context, s: Signed, client: Client, ...rest: A) => Promise<Response>) =>
    async (c: Context, s: Signed, ...rest: A): Promise<Response> => {
      const client = await findManagedClient(deps, s.user.id, c.req.param('id')!);
      if (!client) return kit.notFound(c);
      return run(c, s, client, ...rest);
    };

  app.get(
    paths.developerApps,
    kit.page(async (c, s) => {
      const clients = await listManagedClients(deps, s.user.id);
      const apps = await Promise.all(
        clients.map(async (client) => ({
          id: client.id,
          name: client.name,
          logoUrl: client.logoUrl,
          visibility: client.visibility,
          verified: client.verified,
          authorizedUsers: await deps.stores.countGrants(client.id),
          createdAt: client.createdAt,
        })),
      );
      return kit.html(c, <DeveloperAppsPage {...s.props} apps={apps} />);
    }),
  );

  const newAppValues: AppFormValues = { tokenEndpointAuthMethod: RECOMMENDED_AUTH_METHOD, grantTypes: [...defaultGrantTypes], scopes: ['openid', 'profile', 'email'], visibility: 'unlisted', owner: 'me' };
  const newAppForm = kit.page((c, s) => formPage(c, s, 'create', newAppValues, {}, 200));

  /**
   * A form whose field holds a control character cannot be read, so the page comes back (400)
   * with the error beside that field, in the words of the error page ("parameter redirect_uris
   * contains control characters"), and the values it started from: the defaults, or the app's
   * settings. Another field's error, or an app the user does not manage, gets the error page.
   */
  const invalidAppForm =
    (mode: 'create' | 'edit') =>
    async (c: Context, s: Signed, field: string): Promise<Response> => {
      const { description } = controlCharacterError(field);
      const client = mode === 'edit' ? await findManagedClient(deps, s.user.id, c.req.param('id')!) : undefined;
      if (!FORM_FIELDS.has(field) || (mode === 'edit' && !client)) return kit.errorPage(c, 400, 'Bad request', description);
      return formPage(c, s, mode, client ? valuesFromClient(client) : newAppValues, { [field]: description }, 400, client);
    };

  const createApp = kit.action(async (c, s, form) => {
    try {
      const { client, clientSecret } = await registerManagedClient(deps, s.user.id, metadataFrom(form), form.params.get('owner'));
      c.header('Content-Location', paths.app(client.id));
      return detailPage(c, s, client, clientSecret);
    } catch (error) {
      const { fields, message } = kit.formErrors(error, FIELD_FOR);
      return formPage(c, s, 'create', formValues(form), fields, 400, undefined, Object.keys(fields).length ? undefined : message);
    }
  }, { invalid: invalidAppForm('create') });

  const appDetail = kit.page(managed((c, s, client) => detailPage(c, s, client)));

  // paths.newApp is answered by the `:id` routes: a static segment beside a parameter is a shape
  // Hono's RegExpRouter cannot hold, and one such pair puts every request through the slower
  // TrieRouter instead (discovery.test.ts checks which router is in use).
  app.get('/developer/apps/:id', (c) => (c.req.path === paths.newApp ? newAppForm(c) : appDetail(c)));
  app.post('/developer/apps/:id', (c, next) => (c.req.path === paths.newApp ? createApp(c) : next()));

  app.get('/developer/apps/:id/edit', kit.page(managed((c, s, client) => formPage(c, s, 'edit', valuesFromClient(client), {}, 200, client))));

  app.post(
    '/developer/apps/:id/edit',
    kit.action(
      managed(async (c, s, client, form: Form) => {
        try {
          await updateManagedClient(deps, s.user.id, client, metadataFrom(form), form.params.get('owner'));
          return kit.redirect(c, withNotice(paths.app(client.id), 'app-saved'));
        } catch (error) {
          const { fields, message } = kit.formErrors(error, FIELD_FOR);
          return formPage(c, s, 'edit', formValues(form), fields, 400, client, Object.keys(fields).length ? undefined : message);
        }
      }),
      { invalid: invalidAppForm('edit') },
    ),
  );

  app.post(
    '/developer/apps/:id/rotate-secret',
    kit.action(
      managed(async (c, s, client, form: Form) => {
        const raw = form.params.get('grace_period') ?? '0';
        const grace = /^\d{1,8}$/.test(raw.trim()) ? Number(raw.trim()) : Number.NaN;
        try {
          const { clientSecret } = await rotateClientSecret(deps, client.id, { graceSeconds: grace });
          return detailPage(c, s, client, clientSecret);
        } catch (error) {
          const { message } = kit.formErrors(error, FIELD_FOR);
          return detailPage(c, { ...s, props: { ...s.props, error: message! } }, client, undefined, 400);
        }
      }),
    ),
  );

  app.post(
    '/developer/apps/:id/delete',
    kit.action(
      managed(async (c, _s, client) => {
        await deleteClient(deps, client.id);
        return kit.redirect(c, withNotice(paths.developerApps, 'app-deleted'));
      }),
    ),
  );
}
