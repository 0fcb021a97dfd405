/**
 * Shared plumbing of the web console: session guard, CSRF-checked form actions, page rendering,
 * flash notices and safe `return_to` handling. Protocol and management decisions live in core.
 */
import type { Context } from 'hono';
import type { Child } from 'hono/jsx';
import type { CoreDeps } from '../../core/deps.js';
import { ConflictError, ForbiddenError, NotFoundError, OAuthError, ValidationError } from '../../core/errors.js';
import type { User } from '../../core/model.js';
import { ControlCharacterError } from '../../core/params.js';
import { createSession, endSession, resolveSession, type ActiveSession } from '../../core/sessions.js';
import { ErrorPage } from '../../ui/pages/auth/error.js';
import type { ConsoleUser, FieldErrors } from '../../ui/components.js';
import { renderHtml } from '../../ui/render.js';
import { applyCookies, csrfToken, csrfValid, readSessionCookie, type CookiePolicy } from '../cookies.js';
import { readFormAll } from '../form.js';
import { NO_STORE } from '../respond.js';

export type Form = Awaited<ReturnType<typeof readFormAll>>;

/** Shows a form's page again (status 400) with `message` for `field`. */
export type InvalidForm = (c: Context, field: string, message: string) => Promise<Response>;

/** The console's text areas: the only fields where tab and line breaks are not control characters to refuse. */
const MULTILINE_FIELDS = ['description', 'redirect_uris'] as const;

export interface ConsoleContext {
  deps: CoreDeps;
  policy: CookiePolicy;
}

/** Signed-in request state handed to console handlers. */
export interface Signed {
  active: ActiveSession;
  user: User;
  /** Props every console page takes. */
  props: { user: ConsoleUser; csrfToken: string; notice?: string; error?: string };
}

/** Fixed flash messages, chosen by key in `?notice=`: never reflects arbitrary text. */
export const NOTICES = {
  'profile-saved': 'Your profile was saved.',
  'password-changed': 'Your password was changed. Other browsers were signed out.',
  'access-revoked': 'Access revoked. The app was signed out and its tokens no longer work.',
  'workspace-created': 'Workspace created.',
  'member-added': 'Member added.',
  'role-changed': 'Role changed.',
  'member-removed': 'Member removed.',
  'workspace-left': 'You left the workspace.',
  'app-saved': 'Changes saved.',
  'app-deleted': 'App deleted. Its tokens and consents were revoked.',
  'user-disabled': 'User disabled. Their sessions ended and their tokens were revoked.',
  'user-enabled': 'User enabled.',
  'app-verified': 'App marked as verified.',
  'app-unverified': 'App marked as unverified.',
  'app-resource-server-on': 'App marked as a resource server: it may introspect access tokens of other apps.',
  'app-resource-server-off': 'App is no longer a resource server: it may introspect its own tokens only.',
  'scope-created': 'Scope created.',
  'scope-saved': 'Scope saved.',
  'keys-rotated': 'Signing keys rotated.',
} as const;
export type NoticeKey = keyof typeof NOTICES;

export const withNotice = (path: string, notice: NoticeKey): string => {
  const [base, hash] = path.split('#');
  return `${base}${base!.includes('?') ? '&' : '?'}notice=${notice}${hash ? `#${hash}` : ''}`;
};

export function noticeFrom(c: Context): string | undefined {
  const key = c.req.query('notice');
  return key && Object.hasOwn(NOTICES, key) ? NOTICES[key as NoticeKey] : undefined;
}

/**
 * A local path to return to after sign-in, or undefined (the caller then sends "/").
 *
 * The check runs on the exact string that will be sent in `Location`: the value is resolved
 * against a placeholder origin (as a browser would resolve it), the origin must be unchanged,
 * and the serialised result must start with one "/" followed by a character other than "/" or
 * "\". Checking the raw value instead let "/..//evil.example" through as "//evil.example", a
 * scheme-relative URL to another host (RFC 9700 §4.11, open redirectors). Control characters
 * and whitespace anywhere are refused outright, since browsers strip tabs and newlines.
 */
export function safeReturnTo(value: string | undefined): string | undefined {
  if (!value || value.length > 2000) return undefined;
  if (!value.startsWith('/') || value.includes('\\') || /[\u0000-\u0020\u007f-\u009f\s]/u.test(value)) return undefined;
  try {
    const base = 'http://gatehouse.invalid';
    const url = new URL(value, base);
    if (url.origin !== base) return undefined;
    const target = `${url.pathname}${url.search}${url.hash}`;
    return /^\/[^/\\]/.test(target) ? target : undefined;
  } catch {
    return undefined;
  }
}

export const consoleUser = (user: User): ConsoleUser => ({ username: user.username, name: user.name, isAdmin: user.isAdmin });

export function createKit({ deps, policy }: ConsoleContext) {
  const session = (c: Context) => resolveSession(deps, readSessionCookie(c));

  const html = async (c: Context, body: Child, status = 200): Promise<Response> => c.html(renderHtml(body), status as 200, { ...NO_STORE });

  const errorPage = (c: Context, status: number, heading: string, description: string, code = status === 404 ? 'not_found' : status === 403 ? 'forbidden' : 'invalid_request') => {
    csrfToken(c, policy);
    return html(c, <ErrorPage status={status} code={code} heading={heading} description={description} homeUrl="/" console />, status);
  };
  const notFound = (c: Context) => errorPage(c, 404, 'Page not found', 'There is nothing here, or you do not have access to it.');
  const forbidden = (c: Context, description = 'Only administrators can open this page.') => errorPage(c, 403, 'Access denied', description);

  const signed = (c: Context, active: ActiveSession): Signed => ({
    active,
    user: active.user,
    props: { user: consoleUser(active.user), csrfToken: csrfToken(c, policy), ...(noticeFrom(c) ? { notice: noticeFrom(c)! } : {}) },
  });

  const loginRedirect = (c: Context, returnTo?: string) => {
    c.header('Cache-Control', 'no-store');
    const target = returnTo ? `/login?return_to=${encodeURIComponent(returnTo)}` : '/login';
    return c.redirect(target, c.req.method === 'POST' ? 303 : 302);
  };

  /** GET pages for signed-in users; unauthenticated → /login?return_to=…, non-admins on admin pages → 403. */
  const page =
    (handler: (c: Context, s: Signed) => Promise<Response>, options: { admin?: boolean } = {}) =>
    async (c: Context): Promise<Response> => {
      const active = await session(c);
      if (!active) {
        const url = new URL(c.req.url);
        return loginRedirect(c, safeReturnTo(`${url.pathname}${url.search}`));
      }
      if (options.admin && !active.user.isAdmin) return forbidden(c);
      return handler(c, signed(c, active));
    };

  /**
   * Reads the form and checks its CSRF token; a bad token gets the 403 page. A field holding a
   * control character is refused before any handler runs: with `invalid` the form's own page is
   * shown again with the error (400), else the error page.
   */
  const csrfForm = async (c: Context, invalid?: InvalidForm): Promise<Form | Response> => {
    let form: Form;
    try {
      form = await readFormAll(c, MULTILINE_FIELDS);
    } catch (error) {
      if (error instanceof ControlCharacterError && invalid) return invalid(c, error.field, 'This field contains characters that are not allowed (control characters).');
      if (error instanceof OAuthError) return errorPage(c, 400, 'Bad request', error.description);
      throw error;
    }
    if (!csrfValid(c, form.params.get('csrf_token'))) {
      return errorPage(c, 403, 'Form expired', 'The form has expired or did not come from this site; go back, reload and try again.', 'invalid_request');
    }
    return form;
  };

  /**
   * POST actions for signed-in users: CSRF first, then the session (and admin) check. `invalid`
   * shows the form's page again, to a signed-in user only, for a field holding a control character.
   */
  const action =
    (
      handler: (c: Context, s: Signed, form: Form) => Promise<Response>,
      options: { admin?: boolean; invalid?: (c: Context, s: Signed, field: string, message: string) => Promise<Response> } = {},
    ) =>
    async (c: Context): Promise<Response> => {
      const allowed = async (): Promise<Signed | Response> => {
        const active = await session(c);
        if (!active) return loginRedirect(c);
        if (options.admin && !active.user.isAdmin) return forbidden(c);
        return signed(c, active);
      };
      const invalid = options.invalid;
      const form = await csrfForm(
        c,
        invalid &&
          (async (c, field, message) => {
            const s = await allowed();
            return s instanceof Response ? s : invalid(c, s, field, message);
          }),
      );
      if (form instanceof Response) return form;
      const s = await allowed();
      return s instanceof Response ? s : handler(c, s, form);
    };

  /** Public POST (login, signup, setup): CSRF only. `invalid` re-renders the form for a field holding a control character. */
  const publicAction =
    (handler: (c: Context, form: Form) => Promise<Response>, options: { invalid?: InvalidForm } = {}) =>
    async (c: Context): Promise<Response> => {
      const form = await csrfForm(c, options.invalid);
      if (form instanceof Response) return form;
      return handler(c, form);
    };

  const redirect = (c: Context, location: string) => {
    c.header('Cache-Control', 'no-store');
    return c.redirect(location, c.req.method === 'POST' ? 303 : 302);
  };

  /** Starts a session for `user` and sets the cookie (the caller then redirects). */
  const signIn = async (c: Context, userId: string) => {
    // A new session id at every sign-in (no session fixation); the browser's previous session ends.
    await endSession(deps, readSessionCookie(c));
    const { cookieValue } = await createSession(deps, userId);
    applyCookies(c, policy, [{ name: 'session', value: cookieValue, maxAge: deps.config.lifetimes.session }]);
  };

  /**
   * Maps management errors to what a form shows: field errors for ValidationError/ConflictError,
   * a page-level message for ForbiddenError/NotFoundError. Anything else propagates.
   */
  const formErrors = (error: unknown, fieldMap: Record<string, string> = {}): { fields: FieldErrors; message?: string } => {
    if (error instanceof ValidationError || error instanceof ConflictError) {
      const field = fieldMap[error.field] ?? error.field;
      const text = error.reason.charAt(0).toUpperCase() + error.reason.slice(1);
      return { fields: { [field]: text }, message: text };
    }
    if (error instanceof ForbiddenError || error instanceof NotFoundError) return { fields: {}, message: error.message };
    throw error;
  };

  return { deps, policy, session, html, errorPage, notFound, forbidden, page, action, publicAction, redirect, signIn, formErrors, csrf: (c: Context) => csrfToken(c, policy) };
}

export type Kit = ReturnType<typeof createKit>;
