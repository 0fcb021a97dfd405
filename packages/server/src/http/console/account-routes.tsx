/** /account: profile, password, connected apps and workspaces. */
import type { Context, Hono } from 'hono';
import { changePassword, updateProfile } from '../../core/manage/account.js';
import { listConnectedApps, revokeConnectedApp } from '../../core/manage/grants.js';
import { leaveWorkspace, listWorkspacesWithMembers, removeWorkspaceMember, setWorkspaceMemberRole } from '../../core/manage/members.js';
import { createWorkspace } from '../../core/manage/workspaces.js';
import { ForbiddenError, NotFoundError } from '../../core/errors.js';
import type { User } from '../../core/model.js';
import { AccountPage, ConnectedAppsPage, WorkspacesPage } from '../../ui/index.js';
import { paths } from '../../ui/routes.js';
import { withNotice, type Kit, type Signed } from './kit.js';

export function mountAccountRoutes(app: Hono, kit: Kit): void {
  const { deps } = kit;

  /* ------------------------------------------------------------ profile */

  const accountPage = (c: Context, s: Signed, profile: Partial<User> & { username: string }, errors = {}, status = 200, error?: string) =>
    kit.html(
      c,
      <AccountPage
        {...s.props}
        {...(error ? { error } : {})}
        profile={{ username: profile.username, name: profile.name ?? null, email: profile.email ?? null, emailVerified: profile.emailVerified ?? false, picture: profile.picture ?? null }}
        errors={errors}
      />,
      status,
    );

  app.get(paths.account, kit.page(async (c, s) => accountPage(c, s, s.user)));

  app.post(
    paths.accountProfile,
    kit.action(async (c, s, { params }) => {
      const input = { name: params.get('name') ?? '', email: params.get('email') ?? '', picture: params.get('picture') ?? '' };
      try {
        await updateProfile(deps, s.user.id, input);
        return kit.redirect(c, withNotice(paths.account, 'profile-saved'));
      } catch (error) {
        const { fields, message } = kit.formErrors(error);
        return accountPage(c, s, { ...s.user, ...input }, fields, 400, Object.keys(fields).length ? undefined : message);
      }
    }),
  );

  app.post(
    paths.accountPassword,
    kit.action(async (c, s, { params }) => {
      try {
        await changePassword(deps, s.user.id, { currentPassword: params.get('current_password'), newPassword: params.get('new_password') });
      } catch (error) {
        const { fields, message } = kit.formErrors(error);
        return accountPage(c, s, s.user, fields, 400, Object.keys(fields).length ? undefined : message);
      }
      // Every session ended with the change; this browser continues in a fresh one.
      await kit.signIn(c, s.user.id);
      return kit.redirect(c, withNotice(paths.account, 'password-changed'));
    }),
  );

  /* ----------------------------------------------------- connected apps */

  app.get('/connected-apps', (c) => kit.redirect(c, paths.connectedApps));
  app.get(
    paths.connectedApps,
    kit.page(async (c, s) => {
      const views = await listConnectedApps(deps, s.user.id);
      const apps = views.map(({ grant, client, scopes, workspaces }) => ({
        grantId: grant.id,
        client: { id: client.id, name: client.name, logoUrl: client.logoUrl, homepageUrl: client.homepageUrl, verified: client.verified },
        scopes,
        workspaces: workspaces.map(({ name, slug }) => ({ name, slug })),
        authorizedAt: grant.createdAt,
        lastUsedAt: grant.lastUsedAt,
      }));
      return kit.html(c, <ConnectedAppsPage {...s.props} apps={apps} />);
    }),
  );

  app.post(
    '/account/connected-apps/:grantId/revoke',
    kit.action(async (c, s) => {
      try {
        await revokeConnectedApp(deps, s.user.id, c.req.param('grantId')!);
      } catch (error) {
        if (error instanceof NotFoundError) return kit.notFound(c);
        throw error;
      }
      return kit.redirect(c, withNotice(paths.connectedApps, 'access-revoked'));
    }),
  );

  /* --------------------------------------------------------- workspaces */

  const workspacesPage = async (c: Context, s: Signed, extra: { errors?: Record<string, string | undefined>; values?: { name?: string; slug?: string }; error?: string } = {}, status = 200) => {
    const list = await listWorkspacesWithMembers(deps, s.user.id);
    const workspaces = list.map((ws) => ({
      id: ws.id,
      name: ws.name,
      slug: ws.slug,
      role: ws.role,
      members: ws.members.map((m) => ({ username: m.username, name: m.name, role: m.role })),
    }));
    return kit.html(c, <WorkspacesPage {...s.props} {...extra} workspaces={workspaces} />, status);
  };

  app.get('/workspaces', (c) => kit.redirect(c, paths.workspaces));
  app.get(paths.workspaces, kit.page((c, s) => workspacesPage(c, s)));

  app.post(
    paths.createWorkspace,
    kit.action(async (c, s, { params }) => {
      const values = { name: params.get('name') ?? '', slug: params.get('slug') ?? '' };
      try {
        await createWorkspace(deps, { name: values.name, slug: values.slug, ownerUserId: s.user.id });
        return kit.redirect(c, withNotice(paths.workspaces, 'workspace-created'));
      } catch (error) {
        const { fields, message } = kit.formErrors(error);
        return workspacesPage(c, s, { errors: fields, values, ...(Object.keys(fields).length ? {} : { error: message! }) }, 400);
      }
    }),
  );

  /** Member actions show errors as a page-level message (the forms are small and repeated per member). */
  const memberAction = (run: (c: Context, s: Signed, params: { get(name: string): string | undefined }) => Promise<'member-added' | 'role-changed' | 'member-removed' | 'workspace-left'>) =>
    kit.action(async (c, s, { params }) => {
      try {
        return kit.redirect(c, withNotice(paths.workspaces, await run(c, s, params)));
      } catch (error) {
        if (error instanceof NotFoundError && error.what === 'workspace') return kit.notFound(c);
        const { message } = kit.formErrors(error);
        return workspacesPage(c, s, { error: message! }, error instanceof ForbiddenError ? 403 : error instanceof NotFoundError ? 404 : 400);
      }
    });

  app.post(
    '/account/workspaces/:id/members',
    memberAction(async (c, s, params) => {
      await setWorkspaceMemberRole(deps, s.user.id, c.req.param('id')!, { username: params.get('username'), role: params.get('role') ?? 'member' }, { mustBeNew: true });
      return 'member-added';
    }),
  );
  app.post(
    '/account/workspaces/:id/members/:username/role',
    memberAction(async (c, s, params) => {
      await setWorkspaceMemberRole(deps, s.user.id, c.req.param('id')!, { username: c.req.param('username'), role: params.get('role') });
      return 'role-changed';
    }),
  );
  app.post(
    '/account/workspaces/:id/members/:username/remove',
    memberAction(async (c, s) => {
      await removeWorkspaceMember(deps, s.user.id, c.req.param('id')!, c.req.param('username')!);
      return 'member-removed';
    }),
  );
  app.post(
    '/account/workspaces/:id/leave',
    memberAction(async (c, s) => {
      await leaveWorkspace(deps, s.user.id, c.req.param('id')!);
      return 'workspace-left';
    }),
  );
}
