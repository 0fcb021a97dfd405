/** @jsxImportSource hono/jsx */
import { describe, expect, it } from 'vitest';
import { clientAuthMethods } from '../core/client-auth/methods.js';
import { grantRegistry } from '../core/grants/registry.js';
import {
  AccountPage,
  AdminPage,
  AppDetailPage,
  AppDirectoryPage,
  AppFormPage,
  ConnectedAppsPage,
  ConsentPage,
  DeveloperAppsPage,
  ErrorPage,
  HomePage,
  LoginPage,
  SelectAccountPage,
  SetupPage,
  SignupPage,
  WorkspacesPage,
  script,
  stylesheet,
  type ConsentPageProps,
  renderHtml,
} from './index.js';

/* ------------------------------------------------------------ tiny parser */

interface Tag {
  name: string;
  attrs: Record<string, string>;
  index: number;
  end: number;
}

function tags(html: string, name?: string): Tag[] {
  const out: Tag[] = [];
  const re = /<([a-zA-Z][a-zA-Z0-9-]*)((?:\s+[^\s=>/]+(?:="[^"]*")?)*)\s*\/?>/g;
  for (const m of html.matchAll(re)) {
    const tagName = m[1]!.toLowerCase();
    if (name && tagName !== name) continue;
    const attrs: Record<string, string> = {};
    for (const a of m[2]!.matchAll(/([^\s=>/]+)(?:="([^"]*)")?/g)) attrs[a[1]!] = decode(a[2] ?? '');
    out.push({ name: tagName, attrs, index: m.index!, end: m.index! + m[0].length });
  }
  return out;
}

function decode(s: string): string {
  return s
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}

function text(fragment: string): string {
  return decode(fragment.replace(/<[^>]*>/g, ' '))
    .replace(/\s+/g, ' ')
    .trim();
}

/** Text of each <label for=…>, keyed by the `for` value. */
function labels(html: string): Map<string, string> {
  const map = new Map<string, string>();
  for (const m of html.matchAll(/<label([^>]*)>([\s\S]*?)<\/label>/g)) {
    const forAttr = /\sfor="([^"]*)"/.exec(m[1]!)?.[1];
    if (forAttr) map.set(decode(forAttr), text(m[2]!));
  }
  return map;
}

/** The control labelled exactly `label`; fails unless exactly one. */
function control(html: string, label: string): Tag {
  const ids = [...labels(html)].filter(([, t]) => t === label).map(([id]) => id);
  expect(ids, `label "${label}"`).toHaveLength(1);
  const found = tags(html).filter((t) => ['input', 'select', 'textarea'].includes(t.name) && t.attrs.id === ids[0]);
  expect(found, `control for "${label}"`).toHaveLength(1);
  return found[0]!;
}

function buttons(html: string): Array<{ attrs: Record<string, string>; text: string }> {
  return [...html.matchAll(/<button([^>]*)>([\s\S]*?)<\/button>/g)].map((m) => ({
    attrs: tags(`<button${m[1]}>`)[0]!.attrs,
    text: text(m[2]!),
  }));
}

function forms(html: string): Array<{ attrs: Record<string, string>; body: string }> {
  return [...html.matchAll(/<form([^>]*)>([\s\S]*?)<\/form>/g)].map((m) => ({
    attrs: tags(`<form${m[1]}>`)[0]!.attrs,
    body: m[2]!,
  }));
}

const CSRF = 'csrf-token-value_123';

/** The contract every page must meet. */
function checkContract(html: string) {
  expect(html.startsWith('<!doctype html>')).toBe(true);
  expect(html).toMatch(/<html lang="en">/);
  expect(html).toContain('<meta name="viewport" content="width=device-width, initial-scale=1"/>');
  expect(html).toContain('<link rel="stylesheet" href="/assets/gatehouse.css"/>');
  expect(tags(html, 'main')).toHaveLength(1);

  // No inline styles or inline scripts.
  expect(html).not.toMatch(/\sstyle=/i);
  for (const m of html.matchAll(/<script([^>]*)>([\s\S]*?)<\/script>/gi)) {
    expect(m[1]).toMatch(/\ssrc="/);
    expect(m[2]).toBe('');
  }
  expect(html).not.toMatch(/\son[a-z]+="/i);

  // Every form posts and carries the CSRF token.
  const fs = forms(html);
  expect(tags(html, 'form')).toHaveLength(fs.length);
  for (const f of fs) {
    expect(f.attrs.method).toBe('post');
    expect(f.attrs.action).toBeTruthy();
    const csrf = tags(f.body, 'input').filter((t) => t.attrs.name === 'csrf_token');
    expect(csrf).toHaveLength(1);
    expect(csrf[0]!.attrs.type).toBe('hidden');
    expect(csrf[0]!.attrs.value).toBe(CSRF);
  }

  // Ids are unique, every visible control has a label, aria-describedby points somewhere.
  const all = tags(html);
  const ids = all.map((t) => t.attrs.id).filter((id): id is string => id !== undefined);
  expect(new Set(ids).size).toBe(ids.length);
  const labelled = labels(html);
  for (const t of all) {
    if (!['input', 'select', 'textarea'].includes(t.name) || t.attrs.type === 'hidden') continue;
    expect(t.attrs.id, `${t.name} ${t.attrs.name} has an id`).toBeTruthy();
    expect(labelled.get(t.attrs.id!), `${t.name} #${t.attrs.id} has a label`).toBeTruthy();
  }
  for (const id of labelled.keys()) expect(ids).toContain(id);
  for (const t of all) {
    for (const ref of (t.attrs['aria-describedby'] ?? '').split(' ').filter(Boolean)) expect(ids).toContain(ref);
    if (t.attrs['aria-invalid'] === 'true') expect(t.attrs['aria-describedby']).toMatch(/error/);
  }
  // Buttons inside forms say what they do.
  for (const b of buttons(html)) expect(b.text.length).toBeGreaterThan(0);
}

/**
 * What the server sends (renderHtml), checked against hono/jsx's own rendering of the same tree:
 * the same document, except that hono/jsx moves stylesheet and script tags to the top of <head>.
 */
const comparable = (html: string) => {
  const [head = '', body] = html.split('</head>');
  return { head: (head.match(/<[^>]+>[^<]*/g) ?? []).sort(), body };
};
async function render(node: unknown): Promise<string> {
  const html = renderHtml(node);
  expect(comparable(html)).toEqual(comparable(String(await node)));
  checkContract(html);
  return html;
}

const user = { username: 'alice', name: 'Alice Liddell', isAdmin: true };
const consoleBase = { user, csrfToken: CSRF };
const t0 = 1_735_689_600; // 1 Jan 2025 00:00 UTC
const XSS = '<script>alert(1)</script>';

function expectEscaped(html: string) {
  expect(html).not.toContain(XSS);
  expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
}

/* ------------------------------------------------------------------ tests */

describe('assets', () => {
  it('exports a stylesheet with dark mode and a script with the enhancements', () => {
    expect(stylesheet).toContain('prefers-color-scheme: dark');
    expect(stylesheet).toContain(':focus-visible');
    expect(script).toContain('data-copy');
    expect(script).toContain('data-confirm');
    expect(() => new Function(script)).not.toThrow();
  });
});

describe('LoginPage', () => {
  it('renders the sign-in form', async () => {
    const html = await render(
      LoginPage({
        action: '/login',
        csrfToken: CSRF,
        username: 'bob',
        signupUrl: '/signup?x=1',
        hiddenFields: { interaction: 'int_1' },
        clientName: 'Acme CRM',
      }),
    );
    expect(text(html)).toContain('Sign in to continue to Acme CRM');
    const u = control(html, 'Username');
    expect(u.attrs).toMatchObject({ name: 'username', autocomplete: 'username', value: 'bob' });
    const p = control(html, 'Password');
    expect(p.attrs).toMatchObject({ name: 'password', type: 'password' });
    expect(p.attrs.value).toBeUndefined();
    expect(buttons(html).map((b) => b.text)).toEqual(['Sign in']);
    expect(html).toContain('<input type="hidden" name="interaction" value="int_1"/>');
    expect(html).toMatch(/<a href="\/signup\?x=1">Create account<\/a>/);
    expect(html).not.toContain('role="alert"');
  });

  it('shows the error in an alert and escapes input', async () => {
    const html = await render(LoginPage({ action: '/login', csrfToken: CSRF, error: 'Wrong username or password.', username: XSS, clientName: XSS }));
    expect(html).toMatch(/role="alert"[^>]*>\s*<p>Wrong username or password\.<\/p>/);
    expectEscaped(html);
    expect(html).not.toContain('Create account');
  });
});

describe('SignupPage', () => {
  it('renders fields and links field errors', async () => {
    const html = await render(
      SignupPage({
        action: '/signup',
        csrfToken: CSRF,
        values: { username: 'al', email: 'a@example.com' },
        errors: { username: 'That username is taken.' },
      }),
    );
    for (const [label, name] of [
      ['Username', 'username'],
      ['Password', 'password'],
      ['Email', 'email'],
      ['Name', 'name'],
    ] as const) {
      expect(control(html, label).attrs.name).toBe(name);
    }
    const u = control(html, 'Username');
    expect(u.attrs['aria-invalid']).toBe('true');
    const errId = u.attrs['aria-describedby']!.split(' ')[0]!;
    expect(html).toContain(`id="${errId}">That username is taken.</p>`);
    expect(control(html, 'Email').attrs['aria-invalid']).toBeUndefined();
    expect(buttons(html).map((b) => b.text)).toEqual(['Create account']);
    expect(html).toContain('href="#username"');
  });
});

describe('SetupPage', () => {
  it('creates the administrator', async () => {
    const html = await render(SetupPage({ action: '/setup', csrfToken: CSRF, errors: { password: 'Too short.' }, values: { username: XSS } }));
    control(html, 'Username');
    expect(control(html, 'Password').attrs['aria-invalid']).toBe('true');
    control(html, 'Email');
    expect(buttons(html).map((b) => b.text)).toEqual(['Create administrator']);
    expectEscaped(html);
  });
});

describe('ConsentPage', () => {
  const base: ConsentPageProps = {
    action: '/authorize/consent',
    csrfToken: CSRF,
    client: { name: 'Acme CRM', logoUrl: null, homepageUrl: 'https://crm.example.com/', verified: true, description: 'Customer records.' },
    user: { username: 'alice', name: 'Alice' },
    scopes: [
      { name: 'openid', description: 'Confirm who you are' },
      { name: 'projects:read', description: 'Read your projects' },
    ],
    workspaceChoice: { needed: false, multiple: false, options: [], selected: [] },
    switchAccountUrl: '/authorize/switch?i=1',
    redirectUri: 'https://app.crm.example.com/callback',
  };

  it('shows the app, the user, the scopes and the two decisions', async () => {
    const html = await render(ConsentPage(base));
    const t = text(html);
    expect(t).toContain('Acme CRM wants to access your account');
    expect(t).toContain('Verified');
    expect(t).not.toContain('Not verified by the platform');
    expect(t).toContain('Signed in as Alice');
    expect(html).toMatch(/<a href="\/authorize\/switch\?i=1">Not you\?<\/a>/);
    expect(t).toContain('Read your projects');
    expect(t).toContain('projects:read');
    expect(t).toContain('redirect you to app.crm.example.com');
    expect(t).toContain('Connected apps');
    expect(html).toMatch(/class="avatar avatar-lg avatar-c\d" aria-hidden="true">A</);
    expect(html).toContain('href="https://crm.example.com/"');
    const bs = buttons(html);
    expect(bs.map((b) => b.text).sort()).toEqual(['Allow', 'Deny']);
    expect(bs.find((b) => b.text === 'Allow')!.attrs).toMatchObject({ type: 'submit', name: 'decision', value: 'allow' });
    expect(bs.find((b) => b.text === 'Deny')!.attrs).toMatchObject({ type: 'submit', name: 'decision', value: 'deny' });
    expect(forms(html)).toHaveLength(1);
    expect(html).not.toContain('<legend>Workspace</legend>');
  });

  it('notes unverified apps and drops unsafe URLs', async () => {
    const html = await render(
      ConsentPage({ ...base, client: { name: XSS, logoUrl: 'javascript:alert(1)', homepageUrl: 'javascript:alert(2)', verified: false } }),
    );
    expect(text(html)).toContain('Not verified by the platform');
    expect(html).not.toContain('javascript:');
    expectEscaped(html);
  });

  it('shows the logo when there is one', async () => {
    const html = await render(ConsentPage({ ...base, client: { ...base.client, logoUrl: 'https://cdn.example.com/l.png' } }));
    expect(html).toContain('<img src="https://cdn.example.com/l.png" alt=""');
  });

  it('offers checkboxes for several workspaces, preselected', async () => {
    const html = await render(
      ConsentPage({
        ...base,
        workspaceChoice: {
          needed: true,
          multiple: true,
          options: [
            { id: 'ws_1', name: 'Acme', slug: 'acme' },
            { id: 'ws_2', name: 'Beta <b>', slug: 'beta' },
          ],
          selected: ['ws_2'],
        },
      }),
    );
    expect(html).toContain('<legend>Workspace</legend>');
    const a = control(html, 'Acme');
    expect(a.attrs).toMatchObject({ type: 'checkbox', name: 'workspace', value: 'ws_1' });
    expect(a.attrs.checked).toBeUndefined();
    const b = control(html, 'Beta <b>');
    expect(b.attrs).toMatchObject({ type: 'checkbox', value: 'ws_2', checked: '' });
  });

  it('offers radios for one workspace and preselects the only option', async () => {
    const html = await render(
      ConsentPage({
        ...base,
        workspaceChoice: { needed: true, multiple: false, options: [{ id: 'ws_1', name: 'Acme', slug: 'acme' }], selected: [] },
      }),
    );
    expect(control(html, 'Acme').attrs).toMatchObject({ type: 'radio', name: 'workspace', value: 'ws_1', checked: '' });
  });

  it('allows only Deny without a workspace', async () => {
    const html = await render(ConsentPage({ ...base, workspaceChoice: { needed: true, multiple: false, options: [], selected: [] } }));
    expect(text(html)).toContain('You need to belong to a workspace to approve this app');
    expect(buttons(html).map((b) => b.text)).toEqual(['Deny']);
  });
});

describe('SelectAccountPage', () => {
  it('offers to continue or switch', async () => {
    const html = await render(SelectAccountPage({ action: '/authorize/select', csrfToken: CSRF, user: { username: 'alice' }, clientName: 'Acme' }));
    const bs = buttons(html);
    expect(bs.map((b) => b.text)).toEqual(['Continue as alice', 'Use another account']);
    expect(bs[0]!.attrs).toMatchObject({ name: 'decision', value: 'continue' });
    expect(bs[1]!.attrs).toMatchObject({ name: 'decision', value: 'switch' });
  });
});

describe('ErrorPage', () => {
  it('puts the OAuth error code on <main>', async () => {
    const html = await render(ErrorPage({ status: 400, code: 'invalid_request', description: 'The redirect_uri is not registered.', homeUrl: '/' }));
    expect(tags(html, 'main')[0]!.attrs['data-oauth-error']).toBe('invalid_request');
    expect(text(html)).toContain('Something went wrong with this sign-in request');
    expect(text(html)).toContain('The redirect_uri is not registered.');
    expect(html).toMatch(/<code class="error-code">invalid_request<\/code>/);
  });

  it('escapes the description and code', async () => {
    const html = await render(ErrorPage({ status: 400, code: '"><x', description: XSS }));
    expectEscaped(html);
    expect(tags(html, 'main')[0]!.attrs['data-oauth-error']).toBe('"><x');
  });
});

describe('console chrome', () => {
  it('shows Admin only to admins and signs out by POST', async () => {
    const admin = await render(HomePage({ ...consoleBase }));
    const nav = (h: string) => [...h.matchAll(/<nav class="nav"[^>]*>([\s\S]*?)<\/nav>/g)].map((m) => text(m[1]!))[0];
    expect(nav(admin)).toBe('Home Connected apps Workspaces Developer Admin');
    expect(admin).toContain('aria-current="page">Home</a>');
    const signOut = forms(admin).find((f) => text(f.body) === 'Sign out')!;
    expect(signOut.attrs.action).toBe('/logout');
    const plain = await render(HomePage({ ...consoleBase, user: { username: 'bob', isAdmin: false } }));
    expect(nav(plain)).toBe('Home Connected apps Workspaces Developer');
  });
});

describe('AccountPage', () => {
  it('has the profile and password forms', async () => {
    const html = await render(
      AccountPage({
        ...consoleBase,
        profile: { username: 'alice', name: XSS, email: 'a@example.com', emailVerified: true, picture: null },
        errors: { new_password: 'Too short.' },
        notice: 'Saved.',
      }),
    );
    expect(control(html, 'Name').attrs).toMatchObject({ name: 'name', value: XSS });
    expect(control(html, 'Email').attrs.name).toBe('email');
    expect(control(html, 'Picture URL').attrs.name).toBe('picture');
    expect(control(html, 'Current password').attrs).toMatchObject({ name: 'current_password', type: 'password' });
    expect(control(html, 'New password').attrs).toMatchObject({ name: 'new_password', 'aria-invalid': 'true' });
    expect(forms(html).map((f) => f.attrs.action)).toEqual(['/logout', '/account/profile', '/account/password']);
    expect(html).toContain('role="status"');
    expect(html).not.toContain(XSS);
  });
});

describe('ConnectedAppsPage', () => {
  it('lists apps with a revoke form', async () => {
    const html = await render(
      ConnectedAppsPage({
        ...consoleBase,
        apps: [
          {
            grantId: 'gr_1',
            client: { id: 'c1', name: XSS, logoUrl: null, homepageUrl: 'https://x.example', verified: false },
            scopes: [{ name: 'openid', description: 'Confirm who you are' }],
            workspaces: [{ name: 'Acme', slug: 'acme' }],
            authorizedAt: t0,
            lastUsedAt: null,
          },
        ],
      }),
    );
    const revoke = forms(html).find((f) => f.attrs.action === '/account/connected-apps/gr_1/revoke')!;
    expect(revoke.attrs['data-confirm']).toContain('Revoke access');
    expect(text(revoke.body)).toContain('Revoke access');
    expect(text(html)).toContain('1 Jan 2025');
    expect(text(html)).toContain('Never');
    expectEscaped(html);
  });

  it('has an empty state', async () => {
    const html = await render(ConnectedAppsPage({ ...consoleBase, apps: [] }));
    expect(text(html)).toContain('You have not authorized any apps yet.');
  });
});

describe('WorkspacesPage', () => {
  it('renders create, add member, change role and leave forms', async () => {
    const html = await render(
      WorkspacesPage({
        ...consoleBase,
        workspaces: [
          {
            id: 'ws_1',
            name: 'Acme',
            slug: 'acme',
            role: 'owner',
            members: [
              { username: 'alice', name: 'Alice', role: 'owner' },
              { username: 'bob', name: null, role: 'member' },
            ],
          },
          { id: 'ws_2', name: 'Beta', slug: 'beta', role: 'member', members: [{ username: 'alice', role: 'member' }] },
        ],
        errors: { slug: 'Taken.' },
      }),
    );
    expect(control(html, 'Name').attrs.name).toBe('name');
    expect(control(html, 'Slug').attrs['aria-invalid']).toBe('true');
    // Add member only where the user manages the workspace.
    expect(control(html, 'Username').attrs.name).toBe('username');
    const role = control(html, 'Role');
    expect(role.name).toBe('select');
    expect(html).toContain('<option value="member" selected="">Member</option>');
    expect(control(html, 'Role for bob').attrs.name).toBe('role');
    const actions = forms(html).map((f) => f.attrs.action);
    expect(actions).toEqual(
      expect.arrayContaining([
        '/account/workspaces',
        '/account/workspaces/ws_1/members',
        '/account/workspaces/ws_1/members/bob/role',
        '/account/workspaces/ws_1/members/bob/remove',
        '/account/workspaces/ws_1/leave',
        '/account/workspaces/ws_2/leave',
      ]),
    );
    expect(actions).not.toContain('/account/workspaces/ws_2/members');
    expect(forms(html).find((f) => f.attrs.action === '/account/workspaces/ws_1/leave')!.attrs['data-confirm']).toBeTruthy();
  });
});

describe('DeveloperAppsPage', () => {
  it('lists apps and links to New app', async () => {
    const html = await render(
      DeveloperAppsPage({
        ...consoleBase,
        apps: [{ id: 'c_1', name: XSS, logoUrl: null, visibility: 'public', verified: true, authorizedUsers: 3, createdAt: t0 }],
      }),
    );
    expect(html).toMatch(/<a class="btn btn-primary" href="\/developer\/apps\/new">New app<\/a>/);
    expect(html).toContain('href="/developer/apps/c_1"');
    expect(text(html)).toContain('3 users');
    expectEscaped(html);
  });
});

describe('AppFormPage', () => {
  const props = {
    ...consoleBase,
    mode: 'create' as const,
    action: '/developer/apps/new',
    values: { name: XSS, redirectUris: ['https://a.example/cb', 'https://b.example/cb'], scopes: ['openid'], visibility: 'unlisted', owner: 'ws:ws_1' },
    errors: { redirect_uris: 'Use https.', scope: 'Pick a scope.' },
    scopeCatalogue: [
      { name: 'openid', description: 'Confirm who you are', requiresWorkspace: false },
      { name: 'projects:read', description: 'Read projects', requiresWorkspace: true },
    ],
    ownerOptions: [
      { value: 'me', label: 'You (alice)' },
      { value: 'ws:ws_1', label: 'Workspace: Acme' },
    ],
    choices: { authMethods: clientAuthMethods, grantTypes: grantRegistry },
  };

  it('has every field with its label', async () => {
    const html = await render(AppFormPage(props));
    const expectName = (label: string, name: string) => expect(control(html, label).attrs.name).toBe(name);
    expectName('Name', 'name');
    expectName('Homepage URL', 'homepage_url');
    expectName('Logo URL', 'logo_url');
    expectName('Description', 'description');
    expectName('Redirect URIs', 'redirect_uris');
    expectName('Access token lifetime (seconds)', 'access_token_ttl');
    expectName('Refresh token lifetime (seconds)', 'refresh_token_ttl');
    expectName('ID token signing algorithm', 'id_token_signed_response_alg');
    expectName('Access token format', 'access_token_format');
    expectName('Owner', 'owner');
    expect(html).toContain('<option value="ws:ws_1" selected="">Workspace: Acme</option>');
    expect(html).toMatch(/<textarea[^>]*name="redirect_uris"[^>]*>https:\/\/a\.example\/cb\nhttps:\/\/b\.example\/cb<\/textarea>/);
    expect(control(html, 'Redirect URIs').attrs['aria-invalid']).toBe('true');

    for (const legend of ['Token endpoint authentication', 'Allowed scopes', 'Grant types', 'Visibility']) {
      expect(html).toContain(`<legend>${legend}</legend>`);
    }
    for (const m of ['client_secret_post', 'client_secret_basic', 'none']) {
      expect(control(html, m).attrs).toMatchObject({ type: 'radio', name: 'token_endpoint_auth_method', value: m });
    }
    expect(control(html, 'openid').attrs).toMatchObject({ type: 'checkbox', name: 'scope', value: 'openid', checked: '' });
    expect(control(html, 'projects:read').attrs.checked).toBeUndefined();
    expect(text(html)).toContain('Read projects');
    for (const g of ['authorization_code', 'refresh_token', 'client_credentials']) {
      expect(control(html, g).attrs).toMatchObject({ type: 'checkbox', name: 'grant_type', value: g });
    }
    expect(control(html, 'Internal').attrs).toMatchObject({ type: 'radio', name: 'visibility', value: 'internal' });
    expect(control(html, 'Unlisted').attrs).toMatchObject({ value: 'unlisted', checked: '' });
    expect(control(html, 'Public').attrs.value).toBe('public');
    const t = text(html);
    expect(t).toContain('Only members of the owning workspace can authorize');
    expect(t).toContain('not listed in the directory');
    expect(t).toContain('Listed in the app directory');
    expect(t).toContain('Pick a scope.');
    expect(buttons(html).map((b) => b.text)).toContain('Create app');
    expectEscaped(html);
  });

  it('offers the auth methods and grant types it is given, with their descriptions, and ticks the values', async () => {
    const choices = {
      authMethods: [{ name: 'private_key_jwt', description: 'Signs a JWT with its own key.' }, ...clientAuthMethods],
      grantTypes: [...grantRegistry, { grantType: 'urn:ietf:params:oauth:grant-type:device_code', description: 'Signs in on another device.' }],
    };
    const values = { ...props.values, tokenEndpointAuthMethod: 'private_key_jwt', grantTypes: ['refresh_token', 'urn:ietf:params:oauth:grant-type:device_code'] };
    const html = await render(AppFormPage({ ...props, values, choices }));
    expect(control(html, 'private_key_jwt').attrs).toMatchObject({ type: 'radio', name: 'token_endpoint_auth_method', checked: '' });
    expect(control(html, 'client_secret_basic').attrs.checked).toBeUndefined();
    expect(control(html, 'urn:ietf:params:oauth:grant-type:device_code').attrs).toMatchObject({ type: 'checkbox', name: 'grant_type', checked: '' });
    expect(control(html, 'refresh_token').attrs.checked).toBe('');
    expect(control(html, 'authorization_code').attrs.checked).toBeUndefined();
    for (const description of [...choices.authMethods, ...choices.grantTypes].map((choice) => choice.description)) expect(text(html)).toContain(description);
  });

  it('says Save changes in edit mode', async () => {
    const html = await render(AppFormPage({ ...props, mode: 'edit', action: '/developer/apps/c_1/edit', errors: {} }));
    expect(buttons(html).map((b) => b.text)).toContain('Save changes');
    expect(html).not.toContain('aria-invalid');
  });
});

describe('AppDetailPage', () => {
  const props = {
    ...consoleBase,
    app: {
      id: 'c_1',
      name: XSS,
      description: null,
      homepageUrl: 'https://a.example',
      logoUrl: null,
      redirectUris: ['https://a.example/cb'],
      tokenEndpointAuthMethod: 'client_secret_basic',
      scopes: ['openid'],
      grantTypes: ['authorization_code'],
      visibility: 'internal',
      verified: false,
      accessTokenTtl: 3600,
      refreshTokenTtl: null,
      createdAt: t0,
    },
    secrets: [
      { id: 's1', displayPrefix: 'gcs_AbC', createdAt: t0, expiresAt: null },
      { id: 's0', displayPrefix: 'gcs_Old', createdAt: t0 - 86400, expiresAt: t0 + 3600 },
    ],
    authorizedUsers: 2,
    issuer: 'https://id.example.com',
    exampleAuthorizeUrl: 'https://id.example.com/authorize?client_id=c_1&response_type=code',
    exampleCurl: "curl -X POST https://id.example.com/token -d 'grant_type=authorization_code'",
  };

  it('shows the new secret once, with copy buttons', async () => {
    const html = await render(AppDetailPage({ ...props, justCreatedSecret: { clientId: 'c_1', clientSecret: 'gcs_AbCdefSECRET' } }));
    expect(text(html)).toContain('Copy the secret now. You will not see it again.');
    expect(control(html, 'Client secret').attrs).toMatchObject({ value: 'gcs_AbCdefSECRET', readonly: '' });
    expect(control(html, 'Client ID').attrs.value).toBe('c_1');
    const copies = tags(html, 'button').filter((b) => b.attrs['data-copy']);
    expect(copies.map((b) => b.attrs['data-copy'])).toEqual(
      expect.arrayContaining(['#new-client-id', '#new-client-secret', '#authorize-url', '#curl-example']),
    );
    for (const b of copies) {
      expect(b.attrs.hidden).toBe('');
      expect(b.attrs.type).toBe('button');
      expect(html).toContain(`id="${b.attrs['data-copy']!.slice(1)}"`);
    }
    expect(html).toContain('client_id=c_1&amp;response_type=code');
    expectEscaped(html);
  });

  it('has rotate and delete forms', async () => {
    const html = await render(AppDetailPage(props));
    expect(html).not.toContain('You will not see it again');
    expect(control(html, 'Grace period (seconds)').attrs.name).toBe('grace_period');
    const fs = forms(html);
    expect(fs.find((f) => f.attrs.action === '/developer/apps/c_1/rotate-secret')).toBeTruthy();
    const del = fs.find((f) => f.attrs.action === '/developer/apps/c_1/delete')!;
    expect(del.attrs['data-confirm']).toBeTruthy();
    expect(buttons(html).map((b) => b.text)).toEqual(expect.arrayContaining(['Rotate secret', 'Delete app']));
    expect(text(html)).toContain('gcs_AbC…');
    expect(text(html)).toContain('Current');
  });
});

describe('AdminPage', () => {
  it('renders users, apps, scopes and keys with their forms', async () => {
    const html = await render(
      AdminPage({
        ...consoleBase,
        search: 'bo',
        users: [
          { id: 'u1', username: 'alice', isAdmin: true, createdAt: t0 },
          { id: 'u2', username: 'bob', name: XSS, email: 'b@example.com', isAdmin: false, disabledAt: null, createdAt: t0 },
          { id: 'u3', username: 'carol', isAdmin: false, disabledAt: t0, createdAt: t0 },
        ],
        apps: [
          { id: 'c1', name: 'One', visibility: 'public', verified: false },
          { id: 'c2', name: 'Two', visibility: 'internal', verified: true },
        ],
        scopes: [
          { name: 'openid', description: 'Confirm who you are', requiresWorkspace: false, builtin: true },
          { name: 'projects:read', description: 'Read projects', requiresWorkspace: true, builtin: false },
        ],
        keys: [{ kid: 'k1', alg: 'RS256', state: 'current', createdAt: t0 }],
        errors: { name: 'Already exists.' },
      }),
    );
    expect(control(html, 'Search users').attrs).toMatchObject({ name: 'q', value: 'bo' });
    expect(control(html, 'Algorithm').name).toBe('select');
    expect(control(html, 'Name').attrs['aria-invalid']).toBe('true');
    // Create scope plus one edit form for the non-builtin scope.
    expect([...labels(html).values()].filter((l) => l === 'Description')).toHaveLength(2);
    expect([...labels(html).values()].filter((l) => l === 'Requires workspace')).toHaveLength(2);
    const actions = forms(html).map((f) => f.attrs.action);
    expect(actions).toEqual(
      expect.arrayContaining([
        '/admin/users/search',
        '/admin/users/u2/disable',
        '/admin/users/u3/enable',
        '/admin/apps/c1/verify',
        '/admin/apps/c2/unverify',
        '/admin/scopes',
        '/admin/scopes/projects%3Aread',
        '/admin/keys/rotate',
      ]),
    );
    expect(actions).not.toContain('/admin/users/u1/disable');
    expect(actions).not.toContain('/admin/scopes/openid');
    expectEscaped(html);
  });
});

describe('AppDirectoryPage', () => {
  it('lists public apps, signed in or not', async () => {
    const apps = [{ id: 'c1', name: XSS, logoUrl: null, description: 'Does things', homepageUrl: 'https://a.example', verified: true }];
    const anon = await render(AppDirectoryPage({ apps }));
    expectEscaped(anon);
    expect(forms(anon)).toHaveLength(0);
    const signedIn = await render(AppDirectoryPage({ apps, user, csrfToken: CSRF }));
    expect(text(signedIn)).toContain('Sign out');
  });
});
