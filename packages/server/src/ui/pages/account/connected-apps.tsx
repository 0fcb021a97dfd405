/** @jsxImportSource hono/jsx */
/** Connected apps: the consents a user gave, and their withdrawal. */
import { Avatar, ConsoleLayout, ExternalLink, PageHead, PostForm, Time, VerifiedBadge, type ConsoleProps } from '../../components.js';
import { slugId } from '../../format.js';
import { paths } from '../../routes.js';
import { Empty } from '../console-labels.js';

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
