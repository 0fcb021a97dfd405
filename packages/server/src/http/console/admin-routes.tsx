/** /admin (administrators only) and the public /apps directory. */
import type { Context, Hono } from 'hono';
import { ForbiddenError, NotFoundError, ValidationError } from '../../core/errors.js';
import { listSigningKeys } from '../../core/keys/keyring.js';
import { findVisibleClient, ownerLabel, setClientVerified } from '../../core/manage/apps.js';
import { rotateKeys } from '../../core/manage/keys.js';
import { setResourceServer } from '../../core/manage/resource-servers.js';
import { createScope, listScopes, updateScope } from '../../core/manage/scopes.js';
import { setUserDisabledBy } from '../../core/manage/users.js';
import { AdminPage, AppDirectoryPage, DirectoryAppPage } from '../../ui/index.js';
import { paths } from '../../ui/routes.js';
import { consoleUser, withNotice, type Kit, type Signed } from './kit.js';

const SEARCH_MAX = 100;

export function mountAdminRoutes(app: Hono, kit: Kit): void {
  const { deps } = kit;
  const admin = { admin: true };

  const adminPage = async (
    c: Context,
    s: Signed,
    extra: { errors?: Record<string, string | undefined>; scopeValues?: { name?: string; description?: string; requiresWorkspace?: boolean }; error?: string } = {},
    status = 200,
  ) => {
    const search = (c.req.query('q') ?? '').trim().slice(0, SEARCH_MAX);
    const [users, clients, scopes, keys] = await Promise.all([
      deps.stores.listUsers({ ...(search ? { search } : {}), limit: 200 }),
      deps.stores.listClients(),
      listScopes(deps),
      listSigningKeys(deps.stores),
    ]);
    const apps = await Promise.all(
      clients.map(async (client) => {
        const owner = await ownerLabel(deps, client);
        return {
          id: client.id,
          name: client.name,
          logoUrl: client.logoUrl,
          visibility: client.visibility,
          verified: client.verified,
          resourceServer: client.resourceServer,
          confidential: client.tokenEndpointAuthMethod !== 'none',
          ...(owner ? { ownerLabel: owner } : {}),
        };
      }),
    );
    return kit.html(
      c,
      <AdminPage
        {...s.props}
        {...extra}
        users={users.map(({ id, username, name, email, isAdmin, disabledAt, createdAt }) => ({ id, username, name, email, isAdmin, disabledAt, createdAt }))}
        apps={apps}
        scopes={scopes}
        keys={keys}
        search={search}
      />,
      status,
    );
  };

  app.get(paths.admin, kit.page((c, s) => adminPage(c, s), admin));

  const searchUsers = kit.action(async (c, _s, { params }) => {
    const q = (params.get('q') ?? '').trim().slice(0, SEARCH_MAX);
    return kit.redirect(c, `${paths.admin}${q ? `?q=${encodeURIComponent(q)}` : ''}#users`);
  }, admin);
  // Through a `:id` route for the same reason as paths.newApp (developer-routes.tsx).
  app.post('/admin/users/:id', (c, next) => (c.req.path === paths.adminSearchUsers ? searchUsers(c) : next()));

  const userAction = (run: 'disable' | 'enable') =>
    kit.action(async (c, s) => {
      try {
        await setUserDisabledBy(deps, s.user.id, c.req.param('id')!, run === 'disable');
      } catch (error) {
        if (error instanceof ForbiddenError) return adminPage(c, { ...s, props: { ...s.props, error: error.message } }, {}, 400);
        if (error instanceof NotFoundError) return kit.notFound(c);
        throw error;
      }
      return kit.redirect(c, withNotice(`${paths.admin}#users`, run === 'disable' ? 'user-disabled' : 'user-enabled'));
    }, admin);
  app.post('/admin/users/:id/disable', userAction('disable'));
  app.post('/admin/users/:id/enable', userAction('enable'));

  const verifyAction = (verified: boolean) =>
    kit.action(async (c) => {
      try {
        await setClientVerified(deps, c.req.param('id')!, verified);
      } catch (error) {
        if (error instanceof NotFoundError) return kit.notFound(c);
        throw error;
      }
      return kit.redirect(c, withNotice(`${paths.admin}#apps`, verified ? 'app-verified' : 'app-unverified'));
    }, admin);
  app.post('/admin/apps/:id/verify', verifyAction(true));
  app.post('/admin/apps/:id/unverify', verifyAction(false));

  // The checkbox: ticked sends resource_server=on, unticked sends nothing (the flag is cleared).
  app.post(
    '/admin/apps/:id/resource-server',
    kit.action(async (c, s, { params }) => {
      const on = params.has('resource_server');
      try {
        await setResourceServer(deps, c.req.param('id')!, on);
      } catch (error) {
        if (error instanceof NotFoundError) return kit.notFound(c);
        if (!(error instanceof ValidationError)) throw error;
        return adminPage(c, { ...s, props: { ...s.props, error: kit.formErrors(error).message! } }, {}, 400);
      }
      return kit.redirect(c, withNotice(`${paths.admin}#apps`, on ? 'app-resource-server-on' : 'app-resource-server-off'));
    }, admin),
  );

  app.post(
    paths.adminCreateScope,
    kit.action(async (c, s, { params }) => {
      const scopeValues = { name: params.get('name') ?? '', description: params.get('description') ?? '', requiresWorkspace: params.has('requires_workspace') };
      try {
        await createScope(deps, scopeValues);
        return kit.redirect(c, withNotice(`${paths.admin}#scopes`, 'scope-created'));
      } catch (error) {
        const { fields } = kit.formErrors(error);
        return adminPage(c, s, { errors: fields, scopeValues }, 400);
      }
    }, admin),
  );

  app.post(
    '/admin/scopes/:name',
    kit.action(async (c, s, { params }) => {
      const name = c.req.param('name')!;
      try {
        await updateScope(deps, name, { description: params.get('description'), requiresWorkspace: params.has('requires_workspace') });
      } catch (error) {
        if (error instanceof NotFoundError) return kit.notFound(c);
        if (error instanceof ForbiddenError) return adminPage(c, { ...s, props: { ...s.props, error: error.message } }, {}, 400);
        if (!(error instanceof ValidationError)) throw error;
        return adminPage(c, { ...s, props: { ...s.props, error: `${name}: ${kit.formErrors(error).message}` } }, {}, 400);
      }
      return kit.redirect(c, withNotice(`${paths.admin}#scopes`, 'scope-saved'));
    }, admin),
  );

  app.post(
    paths.adminRotateKeys,
    kit.action(async (c, s, { params }) => {
      try {
        await rotateKeys(deps, params.get('alg') ?? 'RS256');
      } catch (error) {
        if (!(error instanceof ValidationError)) throw error;
        return adminPage(c, { ...s, props: { ...s.props, error: kit.formErrors(error).message! } }, {}, 400);
      }
      return kit.redirect(c, withNotice(`${paths.admin}#keys`, 'keys-rotated'));
    }, admin),
  );

  /* ---------------------------------------------------------- directory */

  const viewer = async (c: Context) => {
    const active = await kit.session(c);
    return active ? { user: active.user, props: { user: consoleUser(active.user), csrfToken: kit.csrf(c) } } : undefined;
  };

  app.get(paths.directory, async (c) => {
    const who = await viewer(c);
    const apps = (await deps.stores.listClients({ visibility: 'public' })).map(({ id, name, logoUrl, description, homepageUrl, verified }) => ({ id, name, logoUrl, description, homepageUrl, verified }));
    return kit.html(c, <AppDirectoryPage apps={apps} {...(who?.props ?? {})} />);
  });

  app.get('/apps/:id', async (c) => {
    const who = await viewer(c);
    const client = await findVisibleClient(deps, who?.user, c.req.param('id'));
    if (!client) return kit.notFound(c);
    const owner = await ownerLabel(deps, client);
    const view = {
      id: client.id,
      name: client.name,
      logoUrl: client.logoUrl,
      description: client.description,
      homepageUrl: client.homepageUrl,
      verified: client.verified,
      visibility: client.visibility,
      ...(owner ? { ownerLabel: owner } : {}),
    };
    return kit.html(c, <DirectoryAppPage app={view} {...(who?.props ?? {})} />);
  });
}
