/** @jsxImportSource hono/jsx */
/** The sign-in flow pages: centred card, no console chrome. */
import {
  Alert,
  AlertIcon,
  Avatar,
  CheckIcon,
  Csrf,
  ErrorSummary,
  ExternalLink,
  HiddenFields,
  InputField,
  Layout,
  summaryItems,
  type FieldErrors,
} from './components.js';
import { hostOf, redirectDestination } from './format.js';
import { paths } from './routes.js';

/* ------------------------------------------------------------------ login */

export interface LoginPageProps {
  action: string;
  csrfToken: string;
  error?: string;
  username?: string;
  signupUrl?: string;
  /** Carried through the post (for example the interaction id). */
  hiddenFields?: Record<string, string>;
  clientName?: string;
}

export function LoginPage(props: LoginPageProps) {
  return (
    <Layout
      title="Sign in"
      footer={
        props.signupUrl ? (
          <p>
            New here? <a href={props.signupUrl}>Create account</a>
          </p>
        ) : undefined
      }
    >
      <h1>Sign in</h1>
      {props.clientName ? (
        <p class="auth-sub">
          to continue to <strong>{props.clientName}</strong>
        </p>
      ) : null}
      {props.error ? (
        <div class="alert alert-error" role="alert" id="login-error">
          <p>{props.error}</p>
        </div>
      ) : null}
      <form method="post" action={props.action}>
        <Csrf token={props.csrfToken} />
        <HiddenFields fields={props.hiddenFields} />
        <InputField
          id="username"
          name="username"
          label="Username"
          value={props.username}
          autocomplete="username"
          autocapitalize="none"
          spellcheck={false}
          required
          autofocus={!props.username}
        />
        <InputField
          id="password"
          name="password"
          type="password"
          label="Password"
          autocomplete="current-password"
          required
          autofocus={Boolean(props.username)}
        />
        <div class="actions">
          <button type="submit" class="btn btn-primary btn-block">
            Sign in
          </button>
        </div>
      </form>
    </Layout>
  );
}

/* ----------------------------------------------------------------- signup */

export interface SignupValues {
  username?: string;
  email?: string;
  name?: string;
}

export interface SignupPageProps {
  action: string;
  csrfToken: string;
  /** Keyed by field name: username, password, email, name. A `form` key is shown as a general error. */
  errors?: FieldErrors;
  values?: SignupValues;
  hiddenFields?: Record<string, string>;
  loginUrl?: string;
}

const signupOrder = ['username', 'password', 'email', 'name'];

export function SignupPage(props: SignupPageProps) {
  const errors = props.errors ?? {};
  const values = props.values ?? {};
  const { form: formError, ...fieldErrors } = errors;
  return (
    <Layout
      title="Create account"
      footer={
        props.loginUrl ? (
          <p>
            Already have an account? <a href={props.loginUrl}>Sign in</a>
          </p>
        ) : undefined
      }
    >
      <h1>Create account</h1>
      {formError ? <Alert kind="error">{formError}</Alert> : null}
      <ErrorSummary items={summaryItems(fieldErrors, (n) => n, signupOrder)} />
      <form method="post" action={props.action} novalidate>
        <Csrf token={props.csrfToken} />
        <HiddenFields fields={props.hiddenFields} />
        <InputField
          id="username"
          name="username"
          label="Username"
          value={values.username}
          error={errors.username}
          hint="Letters, numbers, dots, dashes and underscores."
          autocomplete="username"
          autocapitalize="none"
          spellcheck={false}
          required
        />
        <InputField
          id="password"
          name="password"
          type="password"
          label="Password"
          error={errors.password}
          hint="At least 8 characters."
          autocomplete="new-password"
          required
        />
        <InputField
          id="email"
          name="email"
          type="email"
          label="Email"
          value={values.email}
          error={errors.email}
          autocomplete="email"
          spellcheck={false}
          required
        />
        <InputField id="name" name="name" label="Name" value={values.name} error={errors.name} autocomplete="name" optional />
        <div class="actions">
          <button type="submit" class="btn btn-primary btn-block">
            Create account
          </button>
        </div>
      </form>
    </Layout>
  );
}

/* ------------------------------------------------------------------ setup */

export interface SetupPageProps {
  action: string;
  csrfToken: string;
  /** Keyed by field name: username, password, email; `form` for a general error. */
  errors?: FieldErrors;
  values?: { username?: string; email?: string };
}

export function SetupPage(props: SetupPageProps) {
  const errors = props.errors ?? {};
  const values = props.values ?? {};
  const { form: formError, ...fieldErrors } = errors;
  return (
    <Layout title="Set up Gatehouse">
      <h1>Welcome to Gatehouse</h1>
      <p class="auth-sub">Create the administrator account to finish setting up this server.</p>
      {formError ? <Alert kind="error">{formError}</Alert> : null}
      <ErrorSummary items={summaryItems(fieldErrors, (n) => n, ['username', 'password', 'email'])} />
      <form method="post" action={props.action} novalidate>
        <Csrf token={props.csrfToken} />
        <InputField
          id="username"
          name="username"
          label="Username"
          value={values.username}
          error={errors.username}
          autocomplete="username"
          autocapitalize="none"
          spellcheck={false}
          required
          autofocus
        />
        <InputField
          id="password"
          name="password"
          type="password"
          label="Password"
          error={errors.password}
          hint="At least 8 characters. Use a password manager."
          autocomplete="new-password"
          required
        />
        <InputField
          id="email"
          name="email"
          type="email"
          label="Email"
          value={values.email}
          error={errors.email}
          autocomplete="email"
          spellcheck={false}
          required
        />
        <div class="actions">
          <button type="submit" class="btn btn-primary btn-block">
            Create administrator
          </button>
        </div>
      </form>
    </Layout>
  );
}

/* ---------------------------------------------------------------- consent */

export interface ConsentClient {
  name: string;
  logoUrl?: string | null;
  homepageUrl?: string | null;
  verified: boolean;
  description?: string | null;
}

export interface WorkspaceChoice {
  needed: boolean;
  multiple: boolean;
  options: Array<{ id: string; name: string; slug: string }>;
  selected: string[];
}

export interface ConsentPageProps {
  action: string;
  csrfToken: string;
  client: ConsentClient;
  user: { username: string; name?: string | null };
  scopes: Array<{ name: string; description: string }>;
  workspaceChoice: WorkspaceChoice;
  switchAccountUrl: string;
  /** The redirect URI the user returns to; its host (or a native app's scheme) is named on the page. */
  redirectUri?: string;
  /** A refresh token will be issued: the app stays connected while the user is away (OIDC Core §11). */
  staysConnected?: boolean;
  /** For example "Choose at least one workspace." */
  error?: string;
  hiddenFields?: Record<string, string>;
  connectedAppsUrl?: string;
}

export function ConsentPage(props: ConsentPageProps) {
  const { client, user, workspaceChoice: ws } = props;
  const destination = redirectDestination(props.redirectUri);
  const blocked = ws.needed && ws.options.length === 0;
  const preselected = ws.options.length === 1 ? [ws.options[0]!.id] : ws.selected;
  const errorId = props.error ? 'consent-error' : undefined;

  return (
    <Layout title={`Authorize ${client.name}`} wide>
      <div class="consent-head">
        <Avatar name={client.name} logoUrl={client.logoUrl} size="lg" />
        <h1>
          {client.name}
          <span class="muted"> wants to access your account</span>
        </h1>
        <div class="consent-meta">
          {client.verified ? (
            <span class="badge badge-verified">
              <CheckIcon />
              Verified
            </span>
          ) : (
            <span class="badge badge-warning">
              <AlertIcon />
              Not verified by the platform
            </span>
          )}
          {client.homepageUrl && hostOf(client.homepageUrl) ? (
            <ExternalLink href={client.homepageUrl}>{hostOf(client.homepageUrl)}</ExternalLink>
          ) : null}
        </div>
        {client.description ? <p class="consent-note muted">{client.description}</p> : null}
        {!client.verified ? (
          <p class="consent-note muted">Only continue if you know and trust this app.</p>
        ) : null}
      </div>

      <div class="signed-in">
        <span>
          Signed in as <strong>{user.name || user.username}</strong>
          {user.name ? <span class="muted"> ({user.username})</span> : null}
        </span>
        <a href={props.switchAccountUrl}>Not you?</a>
      </div>

      {props.error ? (
        <div class="alert alert-error" role="alert" id={errorId}>
          <p>{props.error}</p>
        </div>
      ) : null}

      <form method="post" action={props.action}>
        <Csrf token={props.csrfToken} />
        <HiddenFields fields={props.hiddenFields} />

        {props.scopes.length ? (
          <>
            <h2 class="section-label" id="scopes-heading">
              {client.name} will be able to:
            </h2>
            <ul class="scope-list" aria-labelledby="scopes-heading">
              {props.scopes.map((s) => (
                <li>
                  <CheckIcon class="tick" />
                  <span>
                    <span class="scope-desc">{s.description}</span>
                    <span class="scope-name">{s.name}</span>
                  </span>
                </li>
              ))}
            </ul>
          </>
        ) : (
          <p class="muted">{client.name} asks only to confirm who you are.</p>
        )}

        {props.staysConnected ? (
          <p class="consent-note" id="stays-connected">
            {client.name} stays connected until you disconnect it, even while you are not using it.
          </p>
        ) : null}

        {ws.needed && blocked ? (
          <div class="alert alert-warning" id="no-workspace">
            <p>
              <strong>You need to belong to a workspace to approve this app.</strong> Ask a workspace owner to add you,
              or create a workspace first.
            </p>
          </div>
        ) : null}

        {ws.needed && !blocked ? (
          <fieldset
            class="group"
            aria-describedby={errorId ? `workspace-hint ${errorId}` : 'workspace-hint'}
            aria-invalid={props.error ? 'true' : undefined}
          >
            <legend>Workspace</legend>
            <p class="hint" id="workspace-hint">
              {ws.multiple
                ? `Choose the workspaces ${client.name} can access.`
                : `Choose the workspace ${client.name} can access.`}
            </p>
            <div class="choices compact">
              {ws.options.map((o, i) => (
                <div class="choice">
                  <input
                    type={ws.multiple ? 'checkbox' : 'radio'}
                    id={`workspace-${i}`}
                    name="workspace"
                    value={o.id}
                    checked={preselected.includes(o.id)}
                    required={ws.multiple ? undefined : true}
                    aria-describedby={`workspace-${i}-slug`}
                  />
                  <div class="choice-body">
                    <label for={`workspace-${i}`}>{o.name}</label>
                    <p class="hint mono" id={`workspace-${i}-slug`}>
                      {o.slug}
                    </p>
                  </div>
                </div>
              ))}
            </div>
          </fieldset>
        ) : null}

        <div class="actions split">
          <button type="submit" name="decision" value="deny" class="btn">
            Deny
          </button>
          {blocked ? null : (
            <button type="submit" name="decision" value="allow" class="btn btn-primary">
              Allow
            </button>
          )}
        </div>
      </form>

      <div class="fine-print">
        {blocked ? null : (
          <p>
            {destination && 'opens' in destination ? (
              <>
                Allowing will open <strong>{destination.opens}</strong>.
              </>
            ) : destination ? (
              <>
                Allowing will redirect you to <strong>{destination.host}</strong>.
              </>
            ) : (
              <>Allowing will redirect you back to {client.name}.</>
            )}
          </p>
        )}
        <p>
          You can revoke access at any time under{' '}
          <a href={props.connectedAppsUrl ?? paths.connectedApps}>Connected apps</a>.
        </p>
      </div>
    </Layout>
  );
}

/* --------------------------------------------------------- select account */

export interface SelectAccountPageProps {
  action: string;
  csrfToken: string;
  user: { username: string; name?: string | null };
  clientName?: string;
  hiddenFields?: Record<string, string>;
}

export function SelectAccountPage(props: SelectAccountPageProps) {
  const { user } = props;
  return (
    <Layout title="Choose an account">
      <h1>Choose an account</h1>
      {props.clientName ? (
        <p class="auth-sub">
          to continue to <strong>{props.clientName}</strong>
        </p>
      ) : null}
      <div class="signed-in">
        <span class="title-row">
          <Avatar name={user.name || user.username} size="sm" />
          <span>
            <strong>{user.name || user.username}</strong>
            {user.name ? (
              <>
                <br />
                <span class="muted small">{user.username}</span>
              </>
            ) : null}
          </span>
        </span>
      </div>
      <form method="post" action={props.action}>
        <Csrf token={props.csrfToken} />
        <HiddenFields fields={props.hiddenFields} />
        <div class="stack">
          <button type="submit" name="decision" value="continue" class="btn btn-primary btn-block">
            Continue as {user.username}
          </button>
          <button type="submit" name="decision" value="switch" class="btn btn-block">
            Use another account
          </button>
        </div>
      </form>
    </Layout>
  );
}

/* ------------------------------------------------------------------ error */

export interface ErrorPageProps {
  /** HTTP status (the HTTP layer sets it on the response; shown small on the page). */
  status: number;
  /** OAuth error code, e.g. `invalid_request`. */
  code: string;
  description: string;
  homeUrl?: string;
  /** Console errors (not found, forbidden) replace the sign-in wording. */
  heading?: string;
  /** Hides the "followed a link from an app" advice (console errors). */
  console?: boolean;
}

export function ErrorPage(props: ErrorPageProps) {
  return (
    <Layout title={props.heading ?? 'Sign-in error'} mainAttrs={{ 'data-oauth-error': props.code }}>
      <div class="error-body">
        <div class="error-icon">
          <AlertIcon />
        </div>
        <p class="error-status">Error {props.status}</p>
        <h1>{props.heading ?? 'Something went wrong with this sign-in request'}</h1>
        <p>{props.description}</p>
        <p class="muted small">
          Error code: <code class="error-code">{props.code}</code>
        </p>
        {props.console ? null : (
          <p class="muted small">
            If you followed a link from an app, go back to it and try again. If the problem continues, contact the app's
            developer and mention the error code.
          </p>
        )}
      </div>
      {props.homeUrl ? (
        <div class="actions">
          <a class="btn btn-block" href={props.homeUrl}>
            Go to home page
          </a>
        </div>
      ) : null}
    </Layout>
  );
}
