/** @jsxImportSource hono/jsx */
/** The page frame: document head, top bar, console navigation and page heading. */
import { raw } from 'hono/html';
import type { Child } from 'hono/jsx';
import { scriptPath, stylesheetPath } from '../assets.js';
import { escapeHtml, markup } from '../render.js';
import { paths } from '../routes.js';
import { Csrf } from './forms.js';
import { Alert } from './visuals.js';

/** The signed-in user as the console chrome needs it. */
export interface ConsoleUser {
  username: string;
  name?: string | null;
  isAdmin?: boolean;
}

/** Props every console page takes. `notice`/`error` are one-off flash messages. */
export interface ConsoleProps {
  user: ConsoleUser;
  csrfToken: string;
  notice?: string;
  error?: string;
}

export type NavKey = 'home' | 'connected-apps' | 'workspaces' | 'developer' | 'admin' | 'account' | 'directory';

export type FieldErrors = Record<string, string | undefined>;

export interface LayoutProps {
  title: string;
  children?: Child;
  /** When given, the page gets the console top bar (needs `csrfToken` for Sign out). */
  user?: ConsoleUser;
  csrfToken?: string;
  /** Highlights the matching top-bar link. */
  current?: NavKey;
  /**
   * `card` (default without a user): a centred card, for the sign-in flow.
   * `console` (default with a user): top bar and content column.
   */
  variant?: 'card' | 'console';
  /** Wider card (consent) or narrower console column. */
  wide?: boolean;
  narrow?: boolean;
  /** Extra attributes for the page's single `<main>`. */
  mainAttrs?: Record<string, string>;
  /** Shown under the card (card variant only). */
  footer?: Child;
}

const navItems: Array<{ key: NavKey; href: string; label: string; admin?: boolean }> = [
  { key: 'home', href: paths.home, label: 'Home' },
  { key: 'connected-apps', href: paths.connectedApps, label: 'Connected apps' },
  { key: 'workspaces', href: paths.workspaces, label: 'Workspaces' },
  { key: 'developer', href: paths.developerApps, label: 'Developer' },
  { key: 'admin', href: paths.admin, label: 'Admin', admin: true },
];

export function LogoMark() {
  return (
    <span class="logo-mark" aria-hidden="true">
      G
    </span>
  );
}

/** A full HTML document. */
export function Layout(props: LayoutProps) {
  const { title, children, user, csrfToken = '', current, mainAttrs = {} } = props;
  const variant = props.variant ?? (user ? 'console' : 'card');
  // Markup, not JSX: hono/jsx renders <head> and its <meta>, <title>, <link> and <script> through
  // an AsyncLocalStorage (see ui/render.ts).
  const head = markup(
    '<head><meta charset="utf-8"/><meta name="viewport" content="width=device-width, initial-scale=1"/>' +
      `<meta name="color-scheme" content="light dark"/><title>${escapeHtml(`${title} · Gatehouse`)}</title>` +
      `<link rel="stylesheet" href="${escapeHtml(stylesheetPath)}"/><script src="${escapeHtml(scriptPath)}" defer=""></script></head>`,
  );

  if (variant === 'card') {
    return (
      <>
        {raw('<!doctype html>')}
        <html lang="en">
          {head}
          <body>
            <div class="auth-shell">
              <div class="auth-brand">
                <LogoMark />
                <span>Gatehouse</span>
              </div>
              <main id="main" class={props.wide ? 'auth-card wide' : 'auth-card'} {...mainAttrs}>
                {children}
              </main>
              {props.footer ? <div class="auth-foot">{props.footer}</div> : null}
            </div>
          </body>
        </html>
      </>
    );
  }

  return (
    <>
      {raw('<!doctype html>')}
      <html lang="en">
        {head}
        <body>
          <a class="skip-link" href="#main">
            Skip to content
          </a>
          <header class="topbar">
            <div class="topbar-inner">
              <a class="brand" href={paths.home}>
                <LogoMark />
                <span class="brand-name">Gatehouse</span>
              </a>
              {user ? (
                <>
                  <nav class="nav" aria-label="Main">
                    {navItems
                      .filter((item) => !item.admin || user.isAdmin)
                      .map((item) => (
                        <a href={item.href} aria-current={current === item.key ? 'page' : undefined}>
                          {item.label}
                        </a>
                      ))}
                  </nav>
                  <div class="account-menu">
                    <a
                      class="who"
                      href={paths.account}
                      aria-current={current === 'account' ? 'page' : undefined}
                      title="Your account"
                    >
                      {user.name || user.username}
                    </a>
                    <form method="post" action={paths.signOut}>
                      <Csrf token={csrfToken} />
                      <button type="submit" class="btn btn-sm">
                        Sign out
                      </button>
                    </form>
                  </div>
                </>
              ) : (
                <div class="account-menu">
                  <a class="btn btn-sm" href={paths.home}>
                    Sign in
                  </a>
                </div>
              )}
            </div>
          </header>
          <main id="main" class={props.narrow ? 'container narrow' : 'container'} {...mainAttrs}>
            {children}
          </main>
        </body>
      </html>
    </>
  );
}

/** Layout for console pages, with the flash messages. */
export function ConsoleLayout(
  props: ConsoleProps & { title: string; current?: NavKey; narrow?: boolean; children?: Child },
) {
  return (
    <Layout title={props.title} user={props.user} csrfToken={props.csrfToken} current={props.current} narrow={props.narrow}>
      {props.notice ? <Alert kind="success">{props.notice}</Alert> : null}
      {props.error ? <Alert kind="error">{props.error}</Alert> : null}
      {props.children}
    </Layout>
  );
}

export function PageHead(props: { title: Child; description?: Child; actions?: Child; lead?: Child }) {
  return (
    <div class="page-head">
      <div class="title-row">
        {props.lead}
        <div>
          <h1>{props.title}</h1>
          {props.description ? <p>{props.description}</p> : null}
        </div>
      </div>
      {props.actions ? <div class="row-actions">{props.actions}</div> : null}
    </div>
  );
}
