/** @jsxImportSource hono/jsx */
/** The sign-up page. */
import { Alert, Csrf, ErrorSummary, HiddenFields, InputField, Layout, summaryItems, type FieldErrors } from '../../components.js';

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
