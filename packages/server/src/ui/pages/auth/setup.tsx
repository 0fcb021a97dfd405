/** @jsxImportSource hono/jsx */
/** The first-run setup page: the first admin account. */
import { Alert, Csrf, ErrorSummary, InputField, Layout, summaryItems, type FieldErrors } from '../../components.js';

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
