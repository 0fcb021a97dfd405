/** @jsxImportSource hono/jsx */
/** The error page: the OAuth error code on <main data-oauth-error>. */
import { AlertIcon, Layout } from '../../components.js';

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
