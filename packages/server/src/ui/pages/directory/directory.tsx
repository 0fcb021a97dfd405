/** @jsxImportSource hono/jsx */
/** The public app directory. */
import { Avatar, ExternalLink, Layout, PageHead, VerifiedBadge, type ConsoleUser } from '../../components.js';
import { paths } from '../../routes.js';
import { Empty } from '../console-labels.js';

export interface AppDirectoryPageProps {
  apps: Array<{ id: string; name: string; logoUrl?: string | null; description?: string | null; homepageUrl?: string | null; verified: boolean }>;
  /** When signed in, the console top bar is shown. */
  user?: ConsoleUser;
  csrfToken?: string;
}

export function AppDirectoryPage(props: AppDirectoryPageProps) {
  return (
    <Layout title="App directory" user={props.user} csrfToken={props.csrfToken} current="directory" variant="console">
      <PageHead title="App directory" description="Public apps that work with your account." />
      {props.apps.length === 0 ? (
        <section class="panel">
          <Empty>
            <p>No public apps yet.</p>
          </Empty>
        </section>
      ) : (
        <ul class="plain grid">
          {props.apps.map((a) => (
            <li class="tile">
              <div class="title-row">
                <Avatar name={a.name} logoUrl={a.logoUrl} />
                <div>
                  <h2>
                    <a href={paths.directoryApp(a.id)}>{a.name}</a>
                  </h2>
                  <VerifiedBadge verified={a.verified} />
                </div>
              </div>
              {a.description ? <p class="consent-note">{a.description}</p> : null}
              {a.homepageUrl ? (
                <p class="consent-note">
                  <ExternalLink href={a.homepageUrl}>Visit {a.name}</ExternalLink>
                </p>
              ) : null}
            </li>
          ))}
        </ul>
      )}
    </Layout>
  );
}
