/** @jsxImportSource hono/jsx */
/** The account chooser (prompt=select_account). */
import { Avatar, Csrf, HiddenFields, Layout } from '../../components.js';

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
