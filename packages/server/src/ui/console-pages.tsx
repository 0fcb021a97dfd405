/** @jsxImportSource hono/jsx */
/** Console pages for a signed-in user: top bar + content. */
import type { Child } from 'hono/jsx';
import {
  Avatar,
  CheckboxField,
  ChoiceGroup,
  ConsoleLayout,
  CopyButton,
  ErrorSummary,
  ExternalLink,
  InputField,
  Layout,
  PageHead,
  PostForm,
  SelectField,
  TextAreaField,
  Time,
  VerifiedBadge,
  summaryItems,
  type ConsoleProps,
  type ConsoleUser,
  type FieldErrors,
  type SelectOption,
} from './components.js';
import { formatDuration, slugId } from './format.js';
import { paths } from './routes.js';

type Role = 'owner' | 'admin' | 'member';
const roleOptions: SelectOption[] = [
  { value: 'member', label: 'Member' },
  { value: 'admin', label: 'Admin' },
  { value: 'owner', label: 'Owner' },
];
const roleLabel = (role: string) => roleOptions.find((o) => o.value === role)?.label ?? role;

const visibilityInfo: Record<string, { label: string; sentence: string }> = {
  internal: { label: 'Internal', sentence: 'Only members of the owning workspace can authorize this app.' },
  unlisted: { label: 'Unlisted', sentence: 'Anyone with the link can authorize this app; it is not listed in the directory.' },
  public: { label: 'Public', sentence: 'Listed in the app directory; anyone can authorize it.' },
};

const authMethodInfo: Record<string, string> = {
  client_secret_basic: 'The app sends its client ID and secret with HTTP Basic authentication. Recommended for server-side apps.',
  client_secret_post: 'The app sends its client ID and secret in the body of the token request.',
  none: 'A public client with no secret, for browser and native apps. PKCE protects the authorization code.',
};

const grantTypeInfo: Record<string, string> = {
  authorization_code: 'Users sign in and approve the app (with PKCE).',
  refresh_token: 'The app can renew access without asking the user again.',
  client_credentials: 'The app acts on its own behalf, with no user. Needs a client secret.',
};

function VisibilityBadge(props: { visibility: string }) {
  return <span class="badge">{visibilityInfo[props.visibility]?.label ?? props.visibility}</span>;
}

function Empty(props: { children?: Child }) {
  return <div class="empty">{props.children}</div>;
}

/* ------------------------------------------------------------------- home */

export interface HomePageProps extends ConsoleProps {
  counts?: { connectedApps?: number; workspaces?: number; developerApps?: number };
}

export function HomePage(props: HomePageProps) {
  const { user } = props;
  const counts = props.counts ?? {};
  const tile = (href: string, title: string, text: string, count?: number) => (
    <a class="tile" href={href}>
      <h2>{title}</h2>
      {count !== undefined ? <div class="count">{count}</div> : null}
      <p>{text}</p>
    </a>
  );
  return (
    <ConsoleLayout {...props} title="Home" current="home">
      <PageHead
        lead={<Avatar name={user.name || user.username} />}
        title={`Welcome, ${user.name || user.username}`}
        description="Manage your account, the apps you have authorized and the apps you build."
      />
      <div class="grid">
        {tile(paths.connectedApps, 'Connected apps', 'Apps that can access your account.', counts.connectedApps)}
        {tile(paths.workspaces, 'Workspaces', 'Teams you belong to and their members.', counts.workspaces)}
        {tile(paths.developerApps, 'Developer', 'Register and manage OAuth apps.', counts.developerApps)}
        {tile(paths.account, 'Account', 'Your profile and password.')}
        {tile(paths.directory, 'App directory', 'Public apps you can connect.')}
        {user.isAdmin ? tile(paths.admin, 'Admin', 'Users, apps, scopes and signing keys.') : null}
      </div>
    </ConsoleLayout>
  );
}

/* ---------------------------------------------------------------- account */

export interface AccountPageProps extends ConsoleProps {
  profile: { username: string; name?: string | null; email?: string | null; emailVerified?: boolean; picture?: string | null };
  /** Keyed by field name: name, email, picture, current_password, new_password. */
  errors?: FieldErrors;
}

export function AccountPage(props: AccountPageProps) {
  const { profile } = props;
  const errors = props.errors ?? {};
  const profileErrors = summaryItems(errors, (n) => `account-${n}`, ['name', 'email', 'picture']).filter((i) =>
    ['#account-name', '#account-email', '#account-picture'].includes(i.href),
  );
  const passwordErrors = summaryItems(errors, (n) => `account-${n}`, ['current_password', 'new_password']).filter((i) =>
    ['#account-current_password', '#account-new_password'].includes(i.href),
  );
  return (
    <ConsoleLayout {...props} title="Account" current="account" narrow>
      <PageHead
        lead={<Avatar name={profile.name || profile.username} logoUrl={profile.picture} />}
        title="Account"
        description={
          <>
            Signed in as <strong>{profile.username}</strong>
          </>
        }
      />
      <section class="panel" aria-labelledby="profile-heading">
        <h2 id="profile-heading">Profile</h2>
        <ErrorSummary items={profileErrors} />
        <PostForm action={paths.accountProfile} csrfToken={props.csrfToken} novalidate>
          <InputField id="account-name" name="name" label="Name" value={profile.name} error={errors.name} autocomplete="name" optional />
          <InputField
            id="account-email"
            name="email"
            type="email"
            label="Email"
            value={profile.email}
            error={errors.email}
            autocomplete="email"
            spellcheck={false}
            hint={
              profile.email ? (profile.emailVerified ? 'Verified.' : 'Not verified yet.') : 'Apps that ask for your email receive this address.'
            }
          />
          <InputField
            id="account-picture"
            name="picture"
            type="url"
            label="Picture URL"
            value={profile.picture}
            error={errors.picture}
            placeholder="https://"
            spellcheck={false}
            optional
            hint="An https link to a square image."
          />
          <div class="actions">
            <button type="submit" class="btn btn-primary">
              Save profile
            </button>
          </div>
        </PostForm>
      </section>
      <section class="panel" aria-labelledby="password-heading">
        <h2 id="password-heading">Change password</h2>
        <ErrorSummary items={passwordErrors} />
        <PostForm action={paths.accountPassword} csrfToken={props.csrfToken} novalidate>
          <InputField
            id="account-current_password"
            name="current_password"
            type="password"
            label="Current password"
            error={errors.current_password}
            autocomplete="current-password"
            required
          />
          <InputField
            id="account-new_password"
            name="new_password"
            type="password"
            label="New password"
            error={errors.new_password}
            hint="At least 8 characters."
            autocomplete="new-password"
            required
          />
          <div class="actions">
            <button type="submit" class="btn btn-primary">
              Change password
            </button>
          </div>
        </PostForm>
      </section>
    </ConsoleLayout>
  );
}

/* --------------------------------------------------------- connected apps */

export interface ConnectedApp {
  grantId: string;
  client: { id: string; name: string; logoUrl?: string | null; homepageUrl?: string | null; verified: boolean };
  scopes: Array<{ name: string; description: string }>;
  workspaces: Array<{ name: string; slug: string }>;
  authorizedAt: number;
  lastUsedAt?: number | null;
}

export interface ConnectedAppsPageProps extends ConsoleProps {
  apps: ConnectedApp[];
}

export function ConnectedAppsPage(props: ConnectedAppsPageProps) {
  return (
    <ConsoleLayout {...props} title="Connected apps" current="connected-apps" narrow>
      <PageHead title="Connected apps" description="These apps can access your account. Revoke access to sign them out and delete their tokens." />
      {props.apps.length === 0 ? (
        <section class="panel">
          <Empty>
            <p>You have not authorized any apps yet.</p>
            <a href={paths.directory}>Browse the app directory</a>
          </Empty>
        </section>
      ) : (
        props.apps.map((app) => {
          const headingId = slugId('grant', app.grantId);
          return (
            <section class="panel" aria-labelledby={headingId}>
              <div class="panel-head">
                <div class="row-main">
                  <Avatar name={app.client.name} logoUrl={app.client.logoUrl} />
                  <div>
                    <h2 id={headingId}>
                      {app.client.name} <VerifiedBadge verified={app.client.verified} />
                    </h2>
                    <div class="row-meta">
                      {app.client.homepageUrl ? <ExternalLink href={app.client.homepageUrl} /> : null}
                    </div>
                  </div>
                </div>
                <PostForm
                  action={paths.revokeGrant(app.grantId)}
                  csrfToken={props.csrfToken}
                  confirm={`Revoke access for ${app.client.name}? The app will be signed out and will have to ask again.`}
                >
                  <button type="submit" class="btn btn-danger btn-sm">
                    Revoke access<span class="sr-only"> for {app.client.name}</span>
                  </button>
                </PostForm>
              </div>
              {app.scopes.length ? (
                <>
                  <p class="section-label">Can:</p>
                  <ul class="scope-list">
                    {app.scopes.map((s) => (
                      <li>
                        <span>
                          <span class="scope-desc">{s.description}</span>
                          <span class="scope-name">{s.name}</span>
                        </span>
                      </li>
                    ))}
                  </ul>
                </>
              ) : null}
              <dl class="props">
                {app.workspaces.length ? (
                  <>
                    <dt>Workspaces</dt>
                    <dd>{app.workspaces.map((w) => w.name).join(', ')}</dd>
                  </>
                ) : null}
                <dt>Authorized</dt>
                <dd>
                  <Time at={app.authorizedAt} />
                </dd>
                <dt>Last used</dt>
                <dd>{app.lastUsedAt ? <Time at={app.lastUsedAt} /> : 'Never'}</dd>
              </dl>
            </section>
          );
        })
      )}
    </ConsoleLayout>
  );
}

/* ------------------------------------------------------------- workspaces */

export interface WorkspaceView {
  id: string;
  name: string;
  slug: string;
  /** The signed-in user's role. */
  role: Role;
  members: Array<{ username: string; name?: string | null; role: Role }>;
}

export interface WorkspacesPageProps extends ConsoleProps {
  workspaces: WorkspaceView[];
  /** Errors of the create-workspace form, keyed name / slug. */
  errors?: FieldErrors;
  values?: { name?: string; slug?: string };
}

export function WorkspacesPage(props: WorkspacesPageProps) {
  const errors = props.errors ?? {};
  const me = props.user.username;
  return (
    <ConsoleLayout {...props} title="Workspaces" current="workspaces">
      <PageHead title="Workspaces" description="Workspaces group people. Apps can ask for access to a workspace you belong to." />
      {props.workspaces.length === 0 ? (
        <section class="panel">
          <Empty>
            <p>You don't belong to any workspace yet. Create one below or ask an owner to add you.</p>
          </Empty>
        </section>
      ) : null}
      {props.workspaces.map((ws, wi) => {
        const canManage = ws.role === 'owner' || ws.role === 'admin';
        const prefix = slugId('ws', wi);
        return (
          <section class="panel" aria-labelledby={`${prefix}-heading`}>
            <div class="panel-head">
              <div>
                <h2 id={`${prefix}-heading`}>{ws.name}</h2>
                <div class="row-meta">
                  <span class="mono">{ws.slug}</span>
                  <span>Your role: {roleLabel(ws.role)}</span>
                  <span>
                    {ws.members.length} {ws.members.length === 1 ? 'member' : 'members'}
                  </span>
                </div>
              </div>
              <PostForm
                action={paths.leaveWorkspace(ws.id)}
                csrfToken={props.csrfToken}
                confirm={`Leave ${ws.name}? Apps you authorized for this workspace lose access to it.`}
              >
                <button type="submit" class="btn btn-danger btn-sm">
                  Leave<span class="sr-only"> {ws.name}</span>
                </button>
              </PostForm>
            </div>
            <h3 class="sr-only">Members</h3>
            <ul class="plain rows">
              {ws.members.map((m, mi) => {
                const roleId = `${prefix}-m${mi}-role`;
                const isMe = m.username === me;
                return (
                  <li>
                    <div class="row-main">
                      <Avatar name={m.name || m.username} size="sm" />
                      <div>
                        <div class="row-title">
                          {m.name || m.username}
                          {isMe ? <span class="muted"> (you)</span> : null}
                        </div>
                        <div class="row-meta">
                          <span>{m.username}</span>
                          {canManage ? null : <span>{roleLabel(m.role)}</span>}
                        </div>
                      </div>
                    </div>
                    {canManage ? (
                      <div class="row-actions">
                        <PostForm action={paths.changeMemberRole(ws.id, m.username)} csrfToken={props.csrfToken} class="compact-form">
                          <label for={roleId} class="small">
                            Role for {m.username}
                          </label>
                          <select id={roleId} name="role">
                            {roleOptions.map((o) => (
                              <option value={o.value} selected={o.value === m.role}>
                                {o.label}
                              </option>
                            ))}
                          </select>
                          <button type="submit" class="btn btn-sm">
                            Save<span class="sr-only"> role for {m.username}</span>
                          </button>
                        </PostForm>
                        {isMe ? null : (
                          <PostForm
                            action={paths.removeMember(ws.id, m.username)}
                            csrfToken={props.csrfToken}
                            confirm={`Remove ${m.username} from ${ws.name}?`}
                          >
                            <button type="submit" class="btn btn-link">
                              Remove<span class="sr-only"> {m.username}</span>
                            </button>
                          </PostForm>
                        )}
                      </div>
                    ) : null}
                  </li>
                );
              })}
            </ul>
            {canManage ? (
              <>
                <hr />
                <h3>Add member</h3>
                <PostForm action={paths.addMember(ws.id)} csrfToken={props.csrfToken} class="inline-form">
                  <InputField
                    id={`${prefix}-add-username`}
                    name="username"
                    label="Username"
                    autocomplete="off"
                    autocapitalize="none"
                    spellcheck={false}
                    required
                  />
                  <SelectField id={`${prefix}-add-role`} name="role" label="Role" value="member" options={roleOptions} class="narrow" />
                  <button type="submit" class="btn btn-primary">
                    Add member
                  </button>
                </PostForm>
              </>
            ) : null}
          </section>
        );
      })}
      <section class="panel" aria-labelledby="create-ws-heading">
        <h2 id="create-ws-heading">Create a workspace</h2>
        <PostForm action={paths.createWorkspace} csrfToken={props.csrfToken} novalidate>
          <div class="form-row">
            <InputField id="ws-name" name="name" label="Name" value={props.values?.name} error={errors.name} required />
            <InputField
              id="ws-slug"
              name="slug"
              label="Slug"
              value={props.values?.slug}
              error={errors.slug}
              hint="Lowercase letters, numbers and dashes; used in URLs and tokens."
              autocapitalize="none"
              spellcheck={false}
              required
            />
          </div>
          <div class="actions">
            <button type="submit" class="btn btn-primary">
              Create workspace
            </button>
          </div>
        </PostForm>
      </section>
    </ConsoleLayout>
  );
}

/* --------------------------------------------------------- developer apps */

export interface DeveloperAppSummary {
  id: string;
  name: string;
  logoUrl?: string | null;
  visibility: string;
  verified: boolean;
  authorizedUsers: number;
  createdAt: number;
}

export interface DeveloperAppsPageProps extends ConsoleProps {
  apps: DeveloperAppSummary[];
}

export function DeveloperAppsPage(props: DeveloperAppsPageProps) {
  return (
    <ConsoleLayout {...props} title="Your apps" current="developer">
      <PageHead
        title="Your apps"
        description="OAuth and OpenID Connect clients you own, directly or through a workspace."
        actions={
          <a class="btn btn-primary" href={paths.newApp}>
            New app
          </a>
        }
      />
      <section class="panel">
        {props.apps.length === 0 ? (
          <Empty>
            <p>You have no apps yet.</p>
            <a class="btn" href={paths.newApp}>
              Register your first app
            </a>
          </Empty>
        ) : (
          <ul class="plain rows">
            {props.apps.map((app) => (
              <li>
                <div class="row-main">
                  <Avatar name={app.name} logoUrl={app.logoUrl} />
                  <div>
                    <div class="row-title">
                      <a href={paths.app(app.id)}>{app.name}</a>
                    </div>
                    <div class="row-meta">
                      <span class="mono">{app.id}</span>
                      <span>
                        Created <Time at={app.createdAt} />
                      </span>
                      <span>
                        {app.authorizedUsers} {app.authorizedUsers === 1 ? 'user' : 'users'}
                      </span>
                    </div>
                  </div>
                </div>
                <div class="row-actions">
                  <VisibilityBadge visibility={app.visibility} />
                  <VerifiedBadge verified={app.verified} />
                </div>
              </li>
            ))}
          </ul>
        )}
      </section>
    </ConsoleLayout>
  );
}

/* ---------------------------------------------------------------- app form */

export interface AppFormValues {
  name?: string;
  homepageUrl?: string | null;
  logoUrl?: string | null;
  description?: string | null;
  /** One per line, or a list. */
  redirectUris?: string | string[];
  tokenEndpointAuthMethod?: string;
  scopes?: string[];
  grantTypes?: string[];
  visibility?: string;
  accessTokenTtl?: number | string | null;
  refreshTokenTtl?: number | string | null;
  idTokenSignedResponseAlg?: string;
  accessTokenFormat?: string;
  owner?: string;
}

export interface AppFormPageProps extends ConsoleProps {
  mode: 'create' | 'edit';
  action: string;
  values: AppFormValues;
  /**
   * Keyed by form field name: name, homepage_url, logo_url, description, redirect_uris,
   * token_endpoint_auth_method, scope, grant_type, visibility, access_token_ttl,
   * refresh_token_ttl, id_token_signed_response_alg, access_token_format, owner.
   */
  errors: FieldErrors;
  scopeCatalogue: Array<{ name: string; description: string; requiresWorkspace: boolean }>;
  ownerOptions: SelectOption[];
  /** Edit mode: where Cancel goes (defaults to the developer app list). */
  cancelUrl?: string;
  /** Server defaults shown as hints, in seconds. */
  defaults?: { accessTokenTtl?: number; refreshTokenTtl?: number };
}

const appFieldOrder = [
  'name',
  'homepage_url',
  'logo_url',
  'description',
  'redirect_uris',
  'token_endpoint_auth_method',
  'scope',
  'grant_type',
  'visibility',
  'access_token_ttl',
  'refresh_token_ttl',
  'id_token_signed_response_alg',
  'access_token_format',
  'owner',
];

export function AppFormPage(props: AppFormPageProps) {
  const v = props.values;
  const errors = props.errors ?? {};
  const id = (name: string) => `app-${name.replace(/_/g, '-')}`;
  const redirectUris = Array.isArray(v.redirectUris) ? v.redirectUris.join('\n') : (v.redirectUris ?? '');
  const ttl = (value: number | string | null | undefined) => (value === null || value === undefined ? '' : String(value));
  const title = props.mode === 'create' ? 'New app' : `Edit ${v.name || 'app'}`;
  const defaults = props.defaults ?? {};

  return (
    <ConsoleLayout {...props} title={title} current="developer" narrow>
      <PageHead
        title={title}
        description={
          props.mode === 'create'
            ? 'Register an OAuth 2.1 / OpenID Connect client. You can change everything later.'
            : 'Changes apply to new authorization requests and tokens.'
        }
      />
      <ErrorSummary items={summaryItems(errors, id, appFieldOrder)} />
      <PostForm action={props.action} csrfToken={props.csrfToken} class="panel" novalidate>
        <fieldset class="section">
          <legend>About the app</legend>
          <InputField id={id('name')} name="name" label="Name" value={v.name} error={errors.name} hint="Shown to users on the consent screen." required maxlength={100} />
          <div class="form-row">
            <InputField
              id={id('homepage_url')}
              name="homepage_url"
              type="url"
              label="Homepage URL"
              value={v.homepageUrl}
              error={errors.homepage_url}
              placeholder="https://"
              spellcheck={false}
              optional
            />
            <InputField
              id={id('logo_url')}
              name="logo_url"
              type="url"
              label="Logo URL"
              value={v.logoUrl}
              error={errors.logo_url}
              placeholder="https://"
              spellcheck={false}
              hint="A square image; the first letter of the name is used without one."
              optional
            />
          </div>
          <TextAreaField
            id={id('description')}
            name="description"
            label="Description"
            value={v.description}
            error={errors.description}
            rows={3}
            prose
            optional
            maxlength={500}
          />
        </fieldset>

        <fieldset class="section">
          <legend>Authentication</legend>
          <TextAreaField
            id={id('redirect_uris')}
            name="redirect_uris"
            label="Redirect URIs"
            value={redirectUris}
            error={errors.redirect_uris}
            hint="One per line. Exact match; https required except for http://localhost and native app schemes."
            placeholder="https://app.example.com/callback"
            rows={3}
          />
          <ChoiceGroup
            idPrefix={id('token_endpoint_auth_method')}
            name="token_endpoint_auth_method"
            legend="Token endpoint authentication"
            type="radio"
            selected={[v.tokenEndpointAuthMethod ?? 'client_secret_basic']}
            error={errors.token_endpoint_auth_method}
            options={['client_secret_basic', 'client_secret_post', 'none'].map((m) => ({
              value: m,
              label: <code>{m}</code>,
              hint: authMethodInfo[m],
            }))}
          />
          <ChoiceGroup
            idPrefix={id('grant_type')}
            name="grant_type"
            legend="Grant types"
            type="checkbox"
            compact
            selected={v.grantTypes ?? ['authorization_code', 'refresh_token']}
            error={errors.grant_type}
            options={['authorization_code', 'refresh_token', 'client_credentials'].map((g) => ({
              value: g,
              label: <code>{g}</code>,
              hint: grantTypeInfo[g],
            }))}
          />
        </fieldset>

        <fieldset class="section">
          <legend>Access</legend>
          {props.scopeCatalogue.length ? (
            <ChoiceGroup
              idPrefix={id('scope')}
              name="scope"
              legend="Allowed scopes"
              type="checkbox"
              compact
              hint="The app can request only these scopes."
              selected={v.scopes ?? []}
              error={errors.scope}
              options={props.scopeCatalogue.map((s) => ({
                value: s.name,
                label: <code>{s.name}</code>,
                hint: s.description,
                extra: s.requiresWorkspace ? <span class="badge badge-info">Asks for a workspace</span> : undefined,
              }))}
            />
          ) : (
            <p class="muted">No scopes are defined on this server yet.</p>
          )}
          <ChoiceGroup
            idPrefix={id('visibility')}
            name="visibility"
            legend="Visibility"
            type="radio"
            selected={[v.visibility ?? 'internal']}
            error={errors.visibility}
            options={['internal', 'unlisted', 'public'].map((key) => ({
              value: key,
              label: visibilityInfo[key]!.label,
              hint: visibilityInfo[key]!.sentence,
            }))}
          />
          <SelectField id={id('owner')} name="owner" label="Owner" value={v.owner} error={errors.owner} options={props.ownerOptions} hint="You, or a workspace you administer." />
        </fieldset>

        <fieldset class="section">
          <legend>Tokens</legend>
          <div class="form-row">
            <InputField
              id={id('access_token_ttl')}
              name="access_token_ttl"
              type="number"
              inputmode="numeric"
              min={60}
              label="Access token lifetime (seconds)"
              value={ttl(v.accessTokenTtl)}
              error={errors.access_token_ttl}
              hint={defaults.accessTokenTtl ? `Leave empty for the server default (${formatDuration(defaults.accessTokenTtl)}).` : 'Leave empty for the server default.'}
            />
            <InputField
              id={id('refresh_token_ttl')}
              name="refresh_token_ttl"
              type="number"
              inputmode="numeric"
              min={60}
              label="Refresh token lifetime (seconds)"
              value={ttl(v.refreshTokenTtl)}
              error={errors.refresh_token_ttl}
              hint={defaults.refreshTokenTtl ? `Leave empty for the server default (${formatDuration(defaults.refreshTokenTtl)}).` : 'Leave empty for the server default.'}
            />
          </div>
          <div class="form-row">
            <SelectField
              id={id('id_token_signed_response_alg')}
              name="id_token_signed_response_alg"
              label="ID token signing algorithm"
              value={v.idTokenSignedResponseAlg ?? 'RS256'}
              error={errors.id_token_signed_response_alg}
              options={[
                { value: 'RS256', label: 'RS256 (RSA)' },
                { value: 'ES256', label: 'ES256 (ECDSA P-256)' },
              ]}
              hint="RS256 works with every client library."
            />
            <SelectField
              id={id('access_token_format')}
              name="access_token_format"
              label="Access token format"
              value={v.accessTokenFormat ?? 'opaque'}
              error={errors.access_token_format}
              hint="Opaque tokens are checked by introspection; JWTs can be verified offline."
              options={[
                { value: 'opaque', label: 'Opaque' },
                { value: 'jwt', label: 'JWT (RFC 9068)' },
              ]}
            />
          </div>
        </fieldset>

        <div class="actions end">
          <a class="btn" href={props.cancelUrl ?? paths.developerApps}>
            Cancel
          </a>
          <button type="submit" class="btn btn-primary">
            {props.mode === 'create' ? 'Create app' : 'Save changes'}
          </button>
        </div>
      </PostForm>
    </ConsoleLayout>
  );
}

/* -------------------------------------------------------------- app detail */

export interface AppDetail {
  id: string;
  name: string;
  description?: string | null;
  homepageUrl?: string | null;
  logoUrl?: string | null;
  redirectUris: string[];
  tokenEndpointAuthMethod: string;
  scopes: string[];
  grantTypes: string[];
  visibility: string;
  verified: boolean;
  accessTokenTtl?: number | null;
  refreshTokenTtl?: number | null;
  idTokenSignedResponseAlg?: string;
  accessTokenFormat?: string;
  createdAt: number;
  /** "alice" or "Workspace: Acme". */
  ownerLabel?: string;
}

export interface AppDetailPageProps extends ConsoleProps {
  app: AppDetail;
  secrets: Array<{ id: string; displayPrefix: string; createdAt: number; expiresAt: number | null }>;
  authorizedUsers: number;
  issuer: string;
  exampleAuthorizeUrl: string;
  exampleCurl: string;
  justCreatedSecret?: { clientId: string; clientSecret: string };
}

export function AppDetailPage(props: AppDetailPageProps) {
  const { app } = props;
  const isPublic = app.tokenEndpointAuthMethod === 'none';
  const discovery = `${props.issuer.replace(/\/$/, '')}/.well-known/openid-configuration`;
  return (
    <ConsoleLayout {...props} title={app.name} current="developer">
      <p class="small">
        <a href={paths.developerApps}>← Your apps</a>
      </p>
      <PageHead
        lead={<Avatar name={app.name} logoUrl={app.logoUrl} size="lg" />}
        title={app.name}
        description={
          <>
            <VisibilityBadge visibility={app.visibility} /> <VerifiedBadge verified={app.verified} />{' '}
            {props.authorizedUsers} authorized {props.authorizedUsers === 1 ? 'user' : 'users'}
          </>
        }
        actions={
          <a class="btn" href={paths.editApp(app.id)}>
            Edit app
          </a>
        }
      />

      {props.justCreatedSecret ? (
        <section class="secret-box" aria-labelledby="new-secret-heading">
          <h2 id="new-secret-heading">Your client credentials</h2>
          <p>
            <strong>Copy the secret now. You will not see it again.</strong> Store it in your app's secret manager, never
            in client-side code.
          </p>
          <div class="field">
            <label for="new-client-id">Client ID</label>
            <div class="copy-row">
              <input id="new-client-id" type="text" class="mono" value={props.justCreatedSecret.clientId} readonly spellcheck={false} />
              <CopyButton target="new-client-id" label="client ID" />
            </div>
          </div>
          <div class="field">
            <label for="new-client-secret">Client secret</label>
            <div class="copy-row">
              <input id="new-client-secret" type="text" class="mono" value={props.justCreatedSecret.clientSecret} readonly spellcheck={false} autocomplete="off" />
              <CopyButton target="new-client-secret" label="client secret" />
            </div>
          </div>
        </section>
      ) : null}

      <section class="panel" aria-labelledby="settings-heading">
        <h2 id="settings-heading">Settings</h2>
        <dl class="props">
          <dt>Client ID</dt>
          <dd>
            <div class="copy-row">
              <code id="client-id">{app.id}</code>
              <CopyButton target="client-id" label="client ID" />
            </div>
          </dd>
          <dt>Issuer</dt>
          <dd>
            <code>{props.issuer}</code>
          </dd>
          <dt>Discovery</dt>
          <dd>
            <code>{discovery}</code>
          </dd>
          {app.description ? (
            <>
              <dt>Description</dt>
              <dd>{app.description}</dd>
            </>
          ) : null}
          {app.homepageUrl ? (
            <>
              <dt>Homepage</dt>
              <dd>
                <ExternalLink href={app.homepageUrl} />
              </dd>
            </>
          ) : null}
          <dt>Redirect URIs</dt>
          <dd>
            {app.redirectUris.length ? (
              <ul class="plain">
                {app.redirectUris.map((u) => (
                  <li>
                    <code>{u}</code>
                  </li>
                ))}
              </ul>
            ) : (
              <span class="muted">None</span>
            )}
          </dd>
          <dt>Token endpoint authentication</dt>
          <dd>
            <code>{app.tokenEndpointAuthMethod}</code>
          </dd>
          <dt>Grant types</dt>
          <dd>{app.grantTypes.length ? app.grantTypes.map((g) => <><code>{g}</code> </>) : <span class="muted">None</span>}</dd>
          <dt>Allowed scopes</dt>
          <dd>{app.scopes.length ? app.scopes.map((s) => <><code>{s}</code> </>) : <span class="muted">None</span>}</dd>
          <dt>Tokens</dt>
          <dd>
            Access {app.accessTokenTtl ? formatDuration(app.accessTokenTtl) : 'server default'}
            {app.accessTokenFormat ? ` (${app.accessTokenFormat})` : ''}; refresh{' '}
            {app.refreshTokenTtl ? formatDuration(app.refreshTokenTtl) : 'server default'}; ID token{' '}
            {app.idTokenSignedResponseAlg ?? 'RS256'}
          </dd>
          {app.ownerLabel ? (
            <>
              <dt>Owner</dt>
              <dd>{app.ownerLabel}</dd>
            </>
          ) : null}
          <dt>Created</dt>
          <dd>
            <Time at={app.createdAt} />
          </dd>
        </dl>
      </section>

      <section class="panel" aria-labelledby="try-heading">
        <h2 id="try-heading">Try it</h2>
        <div class="field">
          <div class="code-head">
            <span class="label" id="authorize-url-label">
              Authorization URL
            </span>
            <CopyButton target="authorize-url" label="authorization URL" />
          </div>
          <pre aria-labelledby="authorize-url-label">
            <code id="authorize-url">{props.exampleAuthorizeUrl}</code>
          </pre>
        </div>
        <div class="field">
          <div class="code-head">
            <span class="label" id="curl-label">
              Exchange the code
            </span>
            <CopyButton target="curl-example" label="curl command" />
          </div>
          <pre aria-labelledby="curl-label">
            <code id="curl-example">{props.exampleCurl}</code>
          </pre>
        </div>
      </section>

      <section class="panel" aria-labelledby="secrets-heading">
        <h2 id="secrets-heading">Client secrets</h2>
        {isPublic ? (
          <p class="muted">This is a public client (no token endpoint authentication), so it has no secret.</p>
        ) : (
          <>
            {props.secrets.length ? (
              <div class="table-wrap">
                <table>
                  <thead>
                    <tr>
                      <th scope="col">Secret</th>
                      <th scope="col">Created</th>
                      <th scope="col">Status</th>
                    </tr>
                  </thead>
                  <tbody>
                    {props.secrets.map((s) => (
                      <tr>
                        <td>
                          <code>{s.displayPrefix}…</code>
                        </td>
                        <td>
                          <Time at={s.createdAt} />
                        </td>
                        <td>
                          {s.expiresAt === null ? (
                            <span class="badge badge-verified">Current</span>
                          ) : (
                            <span class="badge badge-warning">
                              Expires&nbsp;<Time at={s.expiresAt} withTime />
                            </span>
                          )}
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            ) : (
              <p class="muted">No active secret. Rotate to create one.</p>
            )}
            <hr />
            <h3>Rotate secret</h3>
            <p class="muted small">
              Creates a new secret. The current one keeps working for the grace period, so you can deploy the new one
              without downtime.
            </p>
            <PostForm action={paths.rotateSecret(app.id)} csrfToken={props.csrfToken} class="inline-form">
              <InputField
                id="rotate-grace"
                name="grace_period"
                type="number"
                inputmode="numeric"
                min={0}
                label="Grace period (seconds)"
                value={3600}
                class="narrow"
              />
              <button type="submit" class="btn btn-primary">
                Rotate secret
              </button>
            </PostForm>
          </>
        )}
      </section>

      <section class="panel danger" aria-labelledby="danger-heading">
        <h2 id="danger-heading">Delete app</h2>
        <p class="muted">
          Deleting the app revokes every token and consent it holds. {props.authorizedUsers}{' '}
          {props.authorizedUsers === 1 ? 'user loses' : 'users lose'} access. This cannot be undone.
        </p>
        <PostForm action={paths.deleteApp(app.id)} csrfToken={props.csrfToken} confirm={`Delete ${app.name}? This cannot be undone.`}>
          <button type="submit" class="btn btn-danger">
            Delete app
          </button>
        </PostForm>
      </section>
    </ConsoleLayout>
  );
}

/* ------------------------------------------------------------------ admin */

export interface AdminPageProps extends ConsoleProps {
  users: Array<{
    id: string;
    username: string;
    name?: string | null;
    email?: string | null;
    isAdmin: boolean;
    disabledAt?: number | null;
    createdAt: number;
  }>;
  apps: Array<{
    id: string;
    name: string;
    logoUrl?: string | null;
    visibility: string;
    verified: boolean;
    /** May introspect other apps' access tokens; the checkbox is shown for confidential apps only. */
    resourceServer?: boolean;
    confidential?: boolean;
    ownerLabel?: string;
  }>;
  scopes: Array<{ name: string; description: string; requiresWorkspace: boolean; builtin?: boolean }>;
  keys: Array<{ kid: string; alg: string; state: string; createdAt: number; activatedAt?: number | null; retiredAt?: number | null }>;
  /** The current user search. */
  search: string;
  /** Errors of the create-scope form, keyed name / description. */
  errors?: FieldErrors;
  scopeValues?: { name?: string; description?: string; requiresWorkspace?: boolean };
}

const keyStateBadge: Record<string, string> = { current: 'badge badge-verified', next: 'badge badge-info', retired: 'badge' };

export function AdminPage(props: AdminPageProps) {
  const errors = props.errors ?? {};
  return (
    <ConsoleLayout {...props} title="Admin" current="admin">
      <PageHead title="Admin" description="Server-wide settings. Changes take effect immediately." />
      <nav aria-label="Admin sections">
        <ul class="section-nav">
          <li>
            <a href="#users">Users</a>
          </li>
          <li>
            <a href="#apps">Apps</a>
          </li>
          <li>
            <a href="#scopes">Scopes</a>
          </li>
          <li>
            <a href="#keys">Signing keys</a>
          </li>
        </ul>
      </nav>

      <section class="panel" id="users" aria-labelledby="users-heading">
        <h2 id="users-heading">Users</h2>
        <PostForm action={paths.adminSearchUsers} csrfToken={props.csrfToken} class="inline-form">
          <InputField id="user-search" name="q" type="search" label="Search users" value={props.search} placeholder="Username, name or email" spellcheck={false} />
          <button type="submit" class="btn">
            Search
          </button>
        </PostForm>
        <hr />
        {props.users.length === 0 ? (
          <Empty>
            <p>{props.search ? 'No users match this search.' : 'No users.'}</p>
          </Empty>
        ) : (
          <ul class="plain rows">
            {props.users.map((u) => {
              const disabled = Boolean(u.disabledAt);
              const isMe = u.username === props.user.username;
              return (
                <li>
                  <div class="row-main">
                    <Avatar name={u.name || u.username} size="sm" />
                    <div>
                      <div class="row-title">
                        {u.username} {u.isAdmin ? <span class="badge badge-info">Admin</span> : null}{' '}
                        {disabled ? <span class="badge badge-danger">Disabled</span> : null}
                      </div>
                      <div class="row-meta">
                        {u.name ? <span>{u.name}</span> : null}
                        {u.email ? <span>{u.email}</span> : null}
                        <span>
                          Joined <Time at={u.createdAt} />
                        </span>
                      </div>
                    </div>
                  </div>
                  <div class="row-actions">
                    {isMe ? (
                      <span class="muted small">You</span>
                    ) : disabled ? (
                      <PostForm action={paths.adminEnableUser(u.id)} csrfToken={props.csrfToken}>
                        <button type="submit" class="btn btn-sm">
                          Enable<span class="sr-only"> {u.username}</span>
                        </button>
                      </PostForm>
                    ) : (
                      <PostForm
                        action={paths.adminDisableUser(u.id)}
                        csrfToken={props.csrfToken}
                        confirm={`Disable ${u.username}? They are signed out and their tokens stop working.`}
                      >
                        <button type="submit" class="btn btn-danger btn-sm">
                          Disable<span class="sr-only"> {u.username}</span>
                        </button>
                      </PostForm>
                    )}
                  </div>
                </li>
              );
            })}
          </ul>
        )}
      </section>

      <section class="panel" id="apps" aria-labelledby="apps-heading">
        <h2 id="apps-heading">Apps</h2>
        <p class="muted small">Verified apps show a badge on the consent screen. Verify only apps whose owner you trust.</p>
        {props.apps.length === 0 ? (
          <Empty>
            <p>No apps registered.</p>
          </Empty>
        ) : (
          <ul class="plain rows">
            {props.apps.map((a, i) => (
              <li>
                <div class="row-main">
                  <Avatar name={a.name} logoUrl={a.logoUrl} size="sm" />
                  <div>
                    <div class="row-title">
                      {a.name} <VerifiedBadge verified={a.verified} />
                    </div>
                    <div class="row-meta">
                      <span class="mono">{a.id}</span>
                      <span>{visibilityInfo[a.visibility]?.label ?? a.visibility}</span>
                      {a.ownerLabel ? <span>Owner: {a.ownerLabel}</span> : null}
                    </div>
                  </div>
                </div>
                <div class="row-actions">
                  {a.verified ? (
                    <PostForm action={paths.adminUnverifyApp(a.id)} csrfToken={props.csrfToken} confirm={`Remove the verified badge from ${a.name}?`}>
                      <button type="submit" class="btn btn-sm">
                        Mark unverified<span class="sr-only">: {a.name}</span>
                      </button>
                    </PostForm>
                  ) : (
                    <PostForm action={paths.adminVerifyApp(a.id)} csrfToken={props.csrfToken}>
                      <button type="submit" class="btn btn-sm">
                        Mark verified<span class="sr-only">: {a.name}</span>
                      </button>
                    </PostForm>
                  )}
                  {a.confidential === false ? null : (
                    <PostForm action={paths.adminAppResourceServer(a.id)} csrfToken={props.csrfToken} class="inline-form">
                      <CheckboxField id={slugId('app-resource-server', i)} name="resource_server" label="Resource server (may introspect tokens of other apps)" checked={a.resourceServer === true} />
                      <button type="submit" class="btn btn-sm">
                        Save<span class="sr-only"> resource server setting: {a.name}</span>
                      </button>
                    </PostForm>
                  )}
                </div>
              </li>
            ))}
          </ul>
        )}
      </section>

      <section class="panel" id="scopes" aria-labelledby="scopes-heading">
        <h2 id="scopes-heading">Scopes</h2>
        <ul class="plain rows">
          {props.scopes.map((s, i) => {
            const prefix = slugId('scope', i);
            return (
              <li>
                <div class="row-main">
                  <div>
                    <div class="row-title">
                      <code>{s.name}</code> {s.builtin ? <span class="badge">Built-in</span> : null}{' '}
                      {s.requiresWorkspace ? <span class="badge badge-info">Requires workspace</span> : null}
                    </div>
                    <div class="row-meta">
                      <span>{s.description}</span>
                    </div>
                  </div>
                </div>
                {s.builtin ? null : (
                  <details class="edit">
                    <summary>
                      Edit<span class="sr-only"> {s.name}</span>
                    </summary>
                    <PostForm action={paths.adminUpdateScope(s.name)} csrfToken={props.csrfToken}>
                      <input type="hidden" name="name" value={s.name} />
                      <InputField id={`${prefix}-description`} name="description" label="Description" value={s.description} required />
                      <CheckboxField id={`${prefix}-requires-workspace`} name="requires_workspace" label="Requires workspace" checked={s.requiresWorkspace} />
                      <button type="submit" class="btn btn-sm">
                        Save<span class="sr-only"> {s.name}</span>
                      </button>
                    </PostForm>
                  </details>
                )}
              </li>
            );
          })}
        </ul>
        <hr />
        <h3>New scope</h3>
        <PostForm action={paths.adminCreateScope} csrfToken={props.csrfToken} novalidate>
          <div class="form-row">
            <InputField
              id="new-scope-name"
              name="name"
              label="Name"
              value={props.scopeValues?.name}
              error={errors.name}
              hint="For example projects:read. No spaces."
              autocapitalize="none"
              spellcheck={false}
              required
            />
            <InputField
              id="new-scope-description"
              name="description"
              label="Description"
              value={props.scopeValues?.description}
              error={errors.description}
              hint="Shown to users on the consent screen."
              required
            />
          </div>
          <CheckboxField
            id="new-scope-requires-workspace"
            name="requires_workspace"
            label="Requires workspace"
            checked={props.scopeValues?.requiresWorkspace}
            hint="Users pick which workspaces the app can access."
          />
          <button type="submit" class="btn btn-primary">
            Create scope
          </button>
        </PostForm>
      </section>

      <section class="panel" id="keys" aria-labelledby="keys-heading">
        <h2 id="keys-heading">Signing keys</h2>
        {props.keys.length === 0 ? (
          <p class="muted">No signing keys yet.</p>
        ) : (
          <div class="table-wrap">
            <table>
              <thead>
                <tr>
                  <th scope="col">Key ID</th>
                  <th scope="col">Algorithm</th>
                  <th scope="col">State</th>
                  <th scope="col">Created</th>
                </tr>
              </thead>
              <tbody>
                {props.keys.map((k) => (
                  <tr>
                    <td>
                      <code>{k.kid}</code>
                    </td>
                    <td>{k.alg}</td>
                    <td>
                      <span class={keyStateBadge[k.state] ?? 'badge'}>{k.state}</span>
                    </td>
                    <td>
                      <Time at={k.createdAt} />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
        <hr />
        <h3>Rotate signing keys</h3>
        <p class="muted small">
          The next key becomes current and a new next key is published. Tokens signed with the old key stay valid until
          they expire.
        </p>
        <PostForm action={paths.adminRotateKeys} csrfToken={props.csrfToken} class="inline-form" confirm="Rotate the signing keys now?">
          <SelectField
            id="rotate-alg"
            name="alg"
            label="Algorithm"
            value="RS256"
            class="narrow"
            options={[
              { value: 'RS256', label: 'RS256' },
              { value: 'ES256', label: 'ES256' },
            ]}
          />
          <button type="submit" class="btn btn-primary">
            Rotate keys
          </button>
        </PostForm>
      </section>
    </ConsoleLayout>
  );
}

/* -------------------------------------------------------------- directory */

export interface AppDirectoryPageProps {
  apps: Array<{ id: string; name: string; logoUrl?: string | null; description?: string | null; homepageUrl?: string | null; verified: boolean }>;
  /** When signed in, the console top bar is shown. */
  user?: ConsoleUser;
  csrfToken?: string;
}

export function AppDirectoryPage(props: AppDirectoryPageProps) {
  return (
    <Layout title="App directory" user={props.user} csrfToken={props.csrfToken} current="directory" variant="console">
      <PageHead title="App directory" description="Public apps that work with your account." />
      {props.apps.length === 0 ? (
        <section class="panel">
          <Empty>
            <p>No public apps yet.</p>
          </Empty>
        </section>
      ) : (
        <ul class="plain grid">
          {props.apps.map((a) => (
            <li class="tile">
              <div class="title-row">
                <Avatar name={a.name} logoUrl={a.logoUrl} />
                <div>
                  <h2>
                    <a href={paths.directoryApp(a.id)}>{a.name}</a>
                  </h2>
                  <VerifiedBadge verified={a.verified} />
                </div>
              </div>
              {a.description ? <p class="consent-note">{a.description}</p> : null}
              {a.homepageUrl ? (
                <p class="consent-note">
                  <ExternalLink href={a.homepageUrl}>Visit {a.name}</ExternalLink>
                </p>
              ) : null}
            </li>
          ))}
        </ul>
      )}
    </Layout>
  );
}

/* ------------------------------------------------------- directory detail */

export interface DirectoryAppPageProps {
  app: { id: string; name: string; logoUrl?: string | null; description?: string | null; homepageUrl?: string | null; verified: boolean; visibility: string; ownerLabel?: string };
  user?: ConsoleUser;
  csrfToken?: string;
}

/** One app from the directory, or reached by link (unlisted apps), or by workspace members (internal apps). */
export function DirectoryAppPage(props: DirectoryAppPageProps) {
  const { app } = props;
  return (
    <Layout title={app.name} user={props.user} csrfToken={props.csrfToken} current="directory" variant="console">
      <p class="small">
        <a href={paths.directory}>← App directory</a>
      </p>
      <PageHead
        lead={<Avatar name={app.name} logoUrl={app.logoUrl} size="lg" />}
        title={app.name}
        description={
          <>
            <VisibilityBadge visibility={app.visibility} /> <VerifiedBadge verified={app.verified} />
          </>
        }
      />
      <section class="panel" aria-labelledby="about-app-heading">
        <h2 id="about-app-heading">About this app</h2>
        {app.description ? <p>{app.description}</p> : <p class="muted">The developer has not described this app.</p>}
        <dl class="props">
          {app.homepageUrl ? (
            <>
              <dt>Website</dt>
              <dd>
                <ExternalLink href={app.homepageUrl} />
              </dd>
            </>
          ) : null}
          {app.ownerLabel ? (
            <>
              <dt>Published by</dt>
              <dd>{app.ownerLabel}</dd>
            </>
          ) : null}
          <dt>Access</dt>
          <dd>{visibilityInfo[app.visibility]?.sentence ?? app.visibility}</dd>
        </dl>
      </section>
    </Layout>
  );
}
