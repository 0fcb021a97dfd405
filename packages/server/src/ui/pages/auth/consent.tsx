/** @jsxImportSource hono/jsx */
/** The consent page: the app, the scopes it asks for, workspace choice, Allow and Deny. */
import { AlertIcon, Avatar, CheckIcon, Csrf, ExternalLink, HiddenFields, Layout } from '../../components.js';
import { hostOf, redirectDestination } from '../../format.js';
import { paths } from '../../routes.js';

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
