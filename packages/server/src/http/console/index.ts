/**
 * The web console: first-run setup, sign-in and sign-up, account pages (profile, password,
 * connected apps, workspaces), the developer dashboard, admin, and the app directory.
 * Mounted on the protocol app by `createApp` (see `mountConsole` there).
 */
import type { Hono } from 'hono';
import type { CoreDeps } from '../../core/deps.js';
import type { CookiePolicy } from '../cookies.js';
import { mountAccountRoutes } from './account-routes.js';
import { mountAdminRoutes } from './admin-routes.js';
import { mountAuthRoutes } from './auth-routes.js';
import { mountDeveloperRoutes } from './developer-routes.js';
import { createKit } from './kit.js';

export { safeReturnTo } from './kit.js';
export { exampleRequests } from './developer-routes.js';

export function mountConsole(app: Hono, context: { deps: CoreDeps; policy: CookiePolicy }): void {
  const kit = createKit(context);
  mountAuthRoutes(app, kit);
  mountAccountRoutes(app, kit);
  mountDeveloperRoutes(app, kit);
  mountAdminRoutes(app, kit);
}
