/** @jsxImportSource hono/jsx */
/** The form that registers or edits an app. */
import {
  ChoiceGroup,
  ConsoleLayout,
  ErrorSummary,
  InputField,
  PageHead,
  PostForm,
  SelectField,
  TextAreaField,
  summaryItems,
  type ConsoleProps,
  type FieldErrors,
  type SelectOption,
} from '../../components.js';
import { formatDuration } from '../../format.js';
import { paths } from '../../routes.js';
import { visibilityInfo } from '../console-labels.js';

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

/**
 * What the form offers, each with its one-sentence hint: the server's client authentication
 * methods and grant types, passed in from core's registries (client-auth/methods.ts,
 * grants/registry.ts), since pages import nothing outside ui.
 */
export interface AppFormChoices {
  authMethods: ReadonlyArray<{ name: string; description: string }>;
  grantTypes: ReadonlyArray<{ grantType: string; description: string }>;
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
  choices: AppFormChoices;
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
            hint="One per line. Exact match; https required except for http on localhost, 127.0.0.1 or [::1] (any port) and native app schemes."
            placeholder="https://app.example.com/callback"
            rows={3}
          />
          <ChoiceGroup
            idPrefix={id('token_endpoint_auth_method')}
            name="token_endpoint_auth_method"
            legend="Token endpoint authentication"
            type="radio"
            selected={v.tokenEndpointAuthMethod ? [v.tokenEndpointAuthMethod] : []}
            error={errors.token_endpoint_auth_method}
            options={props.choices.authMethods.map((m) => ({
              value: m.name,
              label: <code>{m.name}</code>,
              hint: m.description,
            }))}
          />
          <ChoiceGroup
            idPrefix={id('grant_type')}
            name="grant_type"
            legend="Grant types"
            type="checkbox"
            compact
            selected={v.grantTypes ?? []}
            error={errors.grant_type}
            options={props.choices.grantTypes.map((g) => ({
              value: g.grantType,
              label: <code>{g.grantType}</code>,
              hint: g.description,
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
