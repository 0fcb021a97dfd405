/** @jsxImportSource hono/jsx */
/** One app's settings, secrets and example requests. */
import {
  Avatar,
  ConsoleLayout,
  CopyButton,
  ExternalLink,
  InputField,
  PageHead,
  PostForm,
  Time,
  VerifiedBadge,
  type ConsoleProps,
} from '../../components.js';
import { formatDuration } from '../../format.js';
import { paths } from '../../routes.js';
import { VisibilityBadge } from '../console-labels.js';

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
