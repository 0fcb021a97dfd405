/** First-run setup, standalone sign-in, sign-up, sign-out and the home page. */
import type { Context, Hono } from 'hono';
import { needsSetup, requiredEmail, setupFirstAdmin } from '../../core/manage/account.js';
import { listManagedClients } from '../../core/manage/apps.js';
import { listConnectedApps } from '../../core/manage/grants.js';
import { createUser } from '../../core/manage/users.js';
import { signInWithPassword } from '../../core/sign-in.js';
import { endSession } from '../../core/sessions.js';
import { HomePage, LoginPage, SetupPage, SignupPage } from '../../ui/index.js';
import { paths } from '../../ui/routes.js';
import { clientAddress } from '../client-address.js';
import { applyCookies, readSessionCookie } from '../cookies.js';
import { consoleUser, noticeFrom, safeReturnTo, type Kit } from './kit.js';

const INTERACTION_ID = /^[\w-]{16,128}$/;
/** Fields the setup and sign-up pages show errors beside; any other field's error is shown for the form. */
const SETUP_FIELDS = new Set(['username', 'password', 'email']);
const SIGNUP_FIELDS = new Set(['username', 'password', 'email', 'name']);

export function mountAuthRoutes(app: Hono, kit: Kit): void {
  const { deps } = kit;

  const setupPage = (c: Context, extra: { errors?: Record<string, string | undefined>; values?: { username?: string; email?: string } } = {}, status = 200) =>
    kit.html(c, <SetupPage action={paths.setup} csrfToken={kit.csrf(c)} {...extra} />, status);

  app.get('/', async (c) => {
    if (await needsSetup(deps)) return setupPage(c);
    const active = await kit.session(c);
    if (!active) return kit.redirect(c, paths.login);
    const [connected, workspaces, apps] = await Promise.all([
      listConnectedApps(deps, active.user.id),
      deps.stores.listWorkspacesForUser(active.user.id),
      listManagedClients(deps, active.user.id),
    ]);
    const notice = noticeFrom(c);
    return kit.html(
      c,
      <HomePage
        user={consoleUser(active.user)}
        csrfToken={kit.csrf(c)}
        {...(notice ? { notice } : {})}
        counts={{ connectedApps: connected.length, workspaces: workspaces.length, developerApps: apps.length }}
      />,
    );
  });

  app.get(paths.setup, (c) => kit.redirect(c, '/'));
  app.post(
    paths.setup,
    kit.publicAction(async (c, { params }) => {
      const values = { username: params.get('username') ?? '', email: params.get('email') ?? '' };
      if (!(await needsSetup(deps))) {
        return kit.errorPage(c, 409, 'Already set up', 'This server already has an administrator. Sign in instead.', 'setup_done');
      }
      try {
        const admin = await setupFirstAdmin(deps, { username: params.get('username'), password: params.get('password') ?? '', email: params.get('email') });
        await kit.signIn(c, admin.id);
        return kit.redirect(c, '/');
      } catch (error) {
        const { fields, message } = kit.formErrors(error);
        if (fields['setup']) return kit.errorPage(c, 409, 'Already set up', 'This server already has an administrator. Sign in instead.', 'setup_done');
        return setupPage(c, { errors: Object.keys(fields).length ? fields : { form: message }, values }, 400);
      }
    }, {
      invalid: async (c, field, message) =>
        (await needsSetup(deps)) ? setupPage(c, { errors: { [SETUP_FIELDS.has(field) ? field : 'form']: message } }, 400) : kit.errorPage(c, 400, 'Bad request', message),
    }),
  );

  /* ----------------------------------------------------------- sign in */

  const loginPage = (c: Context, returnTo: string | undefined, extra: { error?: string; username?: string } = {}, status = 200) =>
    kit.html(
      c,
      <LoginPage
        action={paths.login}
        csrfToken={kit.csrf(c)}
        {...(returnTo ? { hiddenFields: { return_to: returnTo } } : {})}
        {...(deps.config.signupEnabled ? { signupUrl: returnTo ? `${paths.signup}?return_to=${encodeURIComponent(returnTo)}` : paths.signup } : {})}
        {...extra}
      />,
      status,
    );

  app.get(paths.login, async (c) => {
    if (await needsSetup(deps)) return kit.redirect(c, '/');
    const returnTo = safeReturnTo(c.req.query('return_to'));
    if (await kit.session(c)) return kit.redirect(c, returnTo ?? '/');
    return loginPage(c, returnTo);
  });

  app.post(
    paths.login,
    kit.publicAction(async (c, { params }) => {
      const returnTo = safeReturnTo(params.get('return_to'));
      const username = params.get('username');
      const password = params.get('password');
      const signedIn = await signInWithPassword(deps, username, password, clientAddress(c, deps.config.trustedProxies));
      if (!signedIn.ok) return loginPage(c, returnTo, { error: signedIn.message, ...(username ? { username: username.slice(0, 100) } : {}) }, 401);
      await kit.signIn(c, signedIn.user.id);
      return kit.redirect(c, returnTo ?? '/');
    }, { invalid: (c) => loginPage(c, undefined, { error: 'The username or password contains characters that are not allowed (control characters).' }, 400) }),
  );

  app.post(
    paths.signOut,
    kit.publicAction(async (c) => {
      await endSession(deps, readSessionCookie(c));
      applyCookies(c, kit.policy, [{ name: 'session', value: undefined }]);
      return kit.redirect(c, paths.login);
    }),
  );

  /* ----------------------------------------------------------- sign up */

  const signupTarget = (interaction: string | undefined, returnTo: string | undefined) =>
    interaction && INTERACTION_ID.test(interaction) ? `/interaction/${encodeURIComponent(interaction)}` : (returnTo ?? '/');

  const signupPage = (
    c: Context,
    carry: { interaction?: string | undefined; returnTo?: string | undefined },
    extra: { errors?: Record<string, string | undefined>; values?: { username?: string; email?: string; name?: string } } = {},
    status = 200,
  ) => {
    const hidden: Record<string, string> = {};
    if (carry.interaction && INTERACTION_ID.test(carry.interaction)) hidden['interaction'] = carry.interaction;
    if (carry.returnTo) hidden['return_to'] = carry.returnTo;
    const loginUrl = hidden['interaction'] ? `/interaction/${encodeURIComponent(hidden['interaction'])}` : carry.returnTo ? `${paths.login}?return_to=${encodeURIComponent(carry.returnTo)}` : paths.login;
    return kit.html(c, <SignupPage action={paths.signup} csrfToken={kit.csrf(c)} hiddenFields={hidden} loginUrl={loginUrl} {...extra} />, status);
  };

  app.get(paths.signup, async (c) => {
    if (!deps.config.signupEnabled) return kit.notFound(c);
    if (await needsSetup(deps)) return kit.redirect(c, '/');
    return signupPage(c, { interaction: c.req.query('interaction'), returnTo: safeReturnTo(c.req.query('return_to')) });
  });

  app.post(paths.signup, async (c) => {
    if (!deps.config.signupEnabled) return kit.notFound(c);
    return kit.publicAction(async (c, { params }) => {
      if (await needsSetup(deps)) return kit.redirect(c, '/');
      const carry = { interaction: params.get('interaction'), returnTo: safeReturnTo(params.get('return_to')) };
      const values = { username: params.get('username') ?? '', email: params.get('email') ?? '', name: params.get('name') ?? '' };
      try {
        requiredEmail(params.get('email'));
        const user = await createUser(deps, { username: params.get('username') ?? '', password: params.get('password') ?? '', email: params.get('email'), name: params.get('name') });
        await kit.signIn(c, user.id);
        return kit.redirect(c, signupTarget(carry.interaction, carry.returnTo));
      } catch (error) {
        const { fields, message } = kit.formErrors(error);
        return signupPage(c, carry, { errors: Object.keys(fields).length ? fields : { form: message }, values }, 400);
      }
    }, { invalid: (c, field, message) => signupPage(c, {}, { errors: { [SIGNUP_FIELDS.has(field) ? field : 'form']: message } }, 400) })(c);
  });
}
