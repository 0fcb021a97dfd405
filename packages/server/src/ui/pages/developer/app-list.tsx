/** @jsxImportSource hono/jsx */
/** The developer dashboard's list of apps. */
import { Avatar, ConsoleLayout, PageHead, Time, VerifiedBadge, type ConsoleProps } from '../../components.js';
import { paths } from '../../routes.js';
import { VisibilityBadge, Empty } from '../console-labels.js';

export interface DeveloperAppSummary {
  id: string;
  name: string;
  logoUrl?: string | null;
  visibility: string;
  verified: boolean;
  authorizedUsers: number;
  createdAt: number;
}

export interface DeveloperAppsPageProps extends ConsoleProps {
  apps: DeveloperAppSummary[];
}

export function DeveloperAppsPage(props: DeveloperAppsPageProps) {
  return (
    <ConsoleLayout {...props} title="Your apps" current="developer">
      <PageHead
        title="Your apps"
        description="OAuth and OpenID Connect clients you own, directly or through a workspace."
        actions={
          <a class="btn btn-primary" href={paths.newApp}>
            New app
          </a>
        }
      />
      <section class="panel">
        {props.apps.length === 0 ? (
          <Empty>
            <p>You have no apps yet.</p>
            <a class="btn" href={paths.newApp}>
              Register your first app
            </a>
          </Empty>
        ) : (
          <ul class="plain rows">
            {props.apps.map((app) => (
              <li>
                <div class="row-main">
                  <Avatar name={app.name} logoUrl={app.logoUrl} />
                  <div>
                    <div class="row-title">
                      <a href={paths.app(app.id)}>{app.name}</a>
                    </div>
                    <div class="row-meta">
                      <span class="mono">{app.id}</span>
                      <span>
                        Created <Time at={app.createdAt} />
                      </span>
                      <span>
                        {app.authorizedUsers} {app.authorizedUsers === 1 ? 'user' : 'users'}
                      </span>
                    </div>
                  </div>
                </div>
                <div class="row-actions">
                  <VisibilityBadge visibility={app.visibility} />
                  <VerifiedBadge verified={app.verified} />
                </div>
              </li>
            ))}
          </ul>
        )}
      </section>
    </ConsoleLayout>
  );
}
