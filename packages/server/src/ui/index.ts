/** Server-rendered pages: pure hono/jsx components. */
export { stylesheet, script, stylesheetPath, scriptPath } from './assets.js';
export { paths } from './routes.js';
export { formatDate, formatDateTime, formatDuration, safeUrl, hostOf } from './format.js';
export { Layout, ConsoleLayout } from './components.js';
export type { ConsoleUser, ConsoleProps, FieldErrors, LayoutProps, NavKey, SelectOption } from './components.js';
export { LoginPage, SignupPage, SetupPage, ConsentPage, SelectAccountPage, ErrorPage } from './auth-pages.js';
export type {
  LoginPageProps,
  SignupPageProps,
  SignupValues,
  SetupPageProps,
  ConsentPageProps,
  ConsentClient,
  WorkspaceChoice,
  SelectAccountPageProps,
  ErrorPageProps,
} from './auth-pages.js';
export {
  HomePage,
  AccountPage,
  ConnectedAppsPage,
  WorkspacesPage,
  DeveloperAppsPage,
  AppFormPage,
  AppDetailPage,
  AdminPage,
  AppDirectoryPage,
  DirectoryAppPage,
} from './console-pages.js';
export type {
  HomePageProps,
  AccountPageProps,
  ConnectedApp,
  ConnectedAppsPageProps,
  WorkspaceView,
  WorkspacesPageProps,
  DeveloperAppSummary,
  DeveloperAppsPageProps,
  AppFormValues,
  AppFormPageProps,
  AppDetail,
  AppDetailPageProps,
  AdminPageProps,
  AppDirectoryPageProps,
  DirectoryAppPageProps,
} from './console-pages.js';
export { renderHtml } from './render.js';
