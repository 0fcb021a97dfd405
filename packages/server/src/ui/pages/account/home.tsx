/** @jsxImportSource hono/jsx */
/** The signed-in home page. */
import { Avatar, ConsoleLayout, PageHead, type ConsoleProps } from '../../components.js';
import { paths } from '../../routes.js';

export interface HomePageProps extends ConsoleProps {
  counts?: { connectedApps?: number; workspaces?: number; developerApps?: number };
}

export function HomePage(props: HomePageProps) {
  const { user } = props;
  const counts = props.counts ?? {};
  const tile = (href: string, title: string, text: string, count?: number) => (
    <a class="tile" href={href}>
      <h2>{title}</h2>
      {count !== undefined ? <div class="count">{count}</div> : null}
      <p>{text}</p>
    </a>
  );
  return (
    <ConsoleLayout {...props} title="Home" current="home">
      <PageHead
        lead={<Avatar name={user.name || user.username} />}
        title={`Welcome, ${user.name || user.username}`}
        description="Manage your account, the apps you have authorized and the apps you build."
      />
      <div class="grid">
        {tile(paths.connectedApps, 'Connected apps', 'Apps that can access your account.', counts.connectedApps)}
        {tile(paths.workspaces, 'Workspaces', 'Teams you belong to and their members.', counts.workspaces)}
        {tile(paths.developerApps, 'Developer', 'Register and manage OAuth apps.', counts.developerApps)}
        {tile(paths.account, 'Account', 'Your profile and password.')}
        {tile(paths.directory, 'App directory', 'Public apps you can connect.')}
        {user.isAdmin ? tile(paths.admin, 'Admin', 'Users, apps, scopes and signing keys.') : null}
      </div>
    </ConsoleLayout>
  );
}
