/** @jsxImportSource hono/jsx */
/** The sign-in page: a centred card, no console chrome. */
import { Csrf, HiddenFields, InputField, Layout } from '../../components.js';

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
