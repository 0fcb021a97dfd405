/** @jsxImportSource hono/jsx */
/** One app's page in the public directory. */
import { Avatar, ExternalLink, Layout, PageHead, VerifiedBadge, type ConsoleUser } from '../../components.js';
import { paths } from '../../routes.js';
import { visibilityInfo, VisibilityBadge } from '../console-labels.js';

export interface DirectoryAppPageProps {
  app: { id: string; name: string; logoUrl?: string | null; description?: string | null; homepageUrl?: string | null; verified: boolean; visibility: string; ownerLabel?: string };
  user?: ConsoleUser;
  csrfToken?: string;
}

/** One app from the directory, or reached by link (unlisted apps), or by workspace members (internal apps). */
export function DirectoryAppPage(props: DirectoryAppPageProps) {
  const { app } = props;
  return (
    <Layout title={app.name} user={props.user} csrfToken={props.csrfToken} current="directory" variant="console">
      <p class="small">
        <a href={paths.directory}>← App directory</a>
      </p>
      <PageHead
        lead={<Avatar name={app.name} logoUrl={app.logoUrl} size="lg" />}
        title={app.name}
        description={
          <>
            <VisibilityBadge visibility={app.visibility} /> <VerifiedBadge verified={app.verified} />
          </>
        }
      />
      <section class="panel" aria-labelledby="about-app-heading">
        <h2 id="about-app-heading">About this app</h2>
        {app.description ? <p>{app.description}</p> : <p class="muted">The developer has not described this app.</p>}
        <dl class="props">
          {app.homepageUrl ? (
            <>
              <dt>Website</dt>
              <dd>
                <ExternalLink href={app.homepageUrl} />
              </dd>
            </>
          ) : null}
          {app.ownerLabel ? (
            <>
              <dt>Published by</dt>
              <dd>{app.ownerLabel}</dd>
            </>
          ) : null}
          <dt>Access</dt>
          <dd>{visibilityInfo[app.visibility]?.sentence ?? app.visibility}</dd>
        </dl>
      </section>
    </Layout>
  );
}
