/** @jsxImportSource hono/jsx */
/**
 * Shared building blocks: the document layout, form fields, alerts, avatars.
 * Pure components: props in, JSX out.
 */
import { raw } from 'hono/html';
import { escapeHtml, markup } from './render.js';
import type { Child } from 'hono/jsx';
import { scriptPath, stylesheetPath } from './assets.js';
import { avatarColour, formatDate, formatDateTime, initialOf, isoDate, safeUrl } from './format.js';
import { paths } from './routes.js';

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

/* ------------------------------------------------------------------ forms */

export function Csrf(props: { token: string }) {
  return <input type="hidden" name="csrf_token" value={props.token} />;
}

export function HiddenFields(props: { fields?: Record<string, string> | undefined }) {
  if (!props.fields) return null;
  return (
    <>
      {Object.entries(props.fields).map(([name, value]) => (
        <input type="hidden" name={name} value={value} />
      ))}
    </>
  );
}

/** A post form with the CSRF field. */
export function PostForm(props: {
  action: string;
  csrfToken: string;
  confirm?: string;
  class?: string;
  id?: string;
  novalidate?: boolean;
  children?: Child;
}) {
  return (
    <form
      method="post"
      action={props.action}
      class={props.class}
      id={props.id}
      data-confirm={props.confirm}
      novalidate={props.novalidate}
    >
      <Csrf token={props.csrfToken} />
      {props.children}
    </form>
  );
}

function describedBy(...ids: Array<string | false | undefined | null>): string | undefined {
  const list = ids.filter((id): id is string => Boolean(id));
  return list.length ? list.join(' ') : undefined;
}

interface FieldBase {
  id: string;
  name: string;
  label: string;
  error?: string | undefined;
  hint?: Child;
  optional?: boolean;
  required?: boolean;
  class?: string;
}

function FieldShell(props: FieldBase & { control: Child }) {
  const hintId = props.hint ? `${props.id}-hint` : undefined;
  const errorId = props.error ? `${props.id}-error` : undefined;
  return (
    <div class={props.class ? `field ${props.class}` : 'field'}>
      {props.optional ? (
        <div class="field-head">
          <label for={props.id}>{props.label}</label>
          <span class="optional">Optional</span>
        </div>
      ) : (
        <label for={props.id}>{props.label}</label>
      )}
      {props.control}
      {props.hint ? (
        <p class="hint" id={hintId}>
          {props.hint}
        </p>
      ) : null}
      {props.error ? (
        <p class="field-error" id={errorId}>
          {props.error}
        </p>
      ) : null}
    </div>
  );
}

function fieldAria(props: FieldBase) {
  return {
    'aria-invalid': props.error ? 'true' : undefined,
    'aria-describedby': describedBy(props.error && `${props.id}-error`, props.hint ? `${props.id}-hint` : undefined),
  };
}

export interface InputFieldProps extends FieldBase {
  type?: 'text' | 'password' | 'email' | 'url' | 'number' | 'search';
  value?: string | number | null | undefined;
  autocomplete?: string;
  autofocus?: boolean;
  placeholder?: string;
  inputmode?: 'text' | 'numeric' | 'email' | 'url' | 'search' | 'decimal' | 'none' | 'tel';
  min?: number;
  max?: number;
  minlength?: number;
  maxlength?: number;
  pattern?: string;
  spellcheck?: boolean;
  autocapitalize?: 'off' | 'none' | 'on' | 'sentences' | 'words' | 'characters';
  readonly?: boolean;
  inputClass?: string;
}

export function InputField(props: InputFieldProps) {
  const control = (
    <input
      id={props.id}
      name={props.name}
      type={props.type ?? 'text'}
      value={props.value ?? undefined}
      autocomplete={props.autocomplete}
      autofocus={props.autofocus}
      placeholder={props.placeholder}
      inputmode={props.inputmode}
      min={props.min}
      max={props.max}
      minlength={props.minlength}
      maxlength={props.maxlength}
      pattern={props.pattern}
      spellcheck={props.spellcheck}
      autocapitalize={props.autocapitalize}
      readonly={props.readonly}
      required={props.required}
      class={props.inputClass}
      {...fieldAria(props)}
    />
  );
  return <FieldShell {...props} control={control} />;
}

export function TextAreaField(
  props: FieldBase & { value?: string | null | undefined; rows?: number; placeholder?: string; prose?: boolean; maxlength?: number },
) {
  const control = (
    <textarea
      id={props.id}
      name={props.name}
      rows={props.rows ?? 4}
      placeholder={props.placeholder}
      required={props.required}
      maxlength={props.maxlength}
      spellcheck={props.prose ? undefined : false}
      class={props.prose ? 'prose' : undefined}
      {...fieldAria(props)}
    >
      {props.value ?? ''}
    </textarea>
  );
  return <FieldShell {...props} control={control} />;
}

export interface SelectOption {
  value: string;
  label: string;
}

export function SelectField(props: FieldBase & { value?: string | null | undefined; options: SelectOption[] }) {
  const control = (
    <select id={props.id} name={props.name} required={props.required} {...fieldAria(props)}>
      {props.options.map((o) => (
        <option value={o.value} selected={o.value === props.value}>
          {o.label}
        </option>
      ))}
    </select>
  );
  return <FieldShell {...props} control={control} />;
}

export interface ChoiceOption {
  value: string;
  label: Child;
  hint?: Child;
  extra?: Child;
}

/** A fieldset of radios or checkboxes, each with its own label and optional sentence. */
export function ChoiceGroup(props: {
  idPrefix: string;
  name: string;
  legend: string;
  type: 'radio' | 'checkbox';
  options: ChoiceOption[];
  selected: readonly string[];
  error?: string | undefined;
  hint?: Child;
  required?: boolean;
  compact?: boolean;
  class?: string;
}) {
  const errorId = props.error ? `${props.idPrefix}-error` : undefined;
  const hintId = props.hint ? `${props.idPrefix}-hint` : undefined;
  return (
    <fieldset
      class={props.class ? `group ${props.class}` : 'group'}
      id={props.idPrefix}
      aria-describedby={describedBy(errorId, hintId)}
      aria-invalid={props.error ? 'true' : undefined}
    >
      <legend>{props.legend}</legend>
      {props.hint ? (
        <p class="hint" id={hintId}>
          {props.hint}
        </p>
      ) : null}
      <div class={props.compact ? 'choices compact' : 'choices'}>
        {props.options.map((o, i) => {
          const id = `${props.idPrefix}-${i}`;
          const optionHintId = o.hint ? `${id}-hint` : undefined;
          return (
            <div class="choice">
              <input
                type={props.type}
                id={id}
                name={props.name}
                value={o.value}
                checked={props.selected.includes(o.value)}
                required={props.type === 'radio' && props.required ? true : undefined}
                aria-describedby={describedBy(optionHintId, errorId)}
                aria-invalid={props.error && props.type === 'checkbox' ? 'true' : undefined}
              />
              <div class="choice-body">
                <label for={id}>{o.label}</label>
                {o.hint ? (
                  <p class="hint" id={optionHintId}>
                    {o.hint}
                  </p>
                ) : null}
                {o.extra}
              </div>
            </div>
          );
        })}
      </div>
      {props.error ? (
        <p class="field-error" id={errorId}>
          {props.error}
        </p>
      ) : null}
    </fieldset>
  );
}

/** A single checkbox with its label. */
export function CheckboxField(props: {
  id: string;
  name: string;
  label: string;
  checked?: boolean;
  value?: string;
  hint?: Child;
  error?: string | undefined;
}) {
  const hintId = props.hint ? `${props.id}-hint` : undefined;
  const errorId = props.error ? `${props.id}-error` : undefined;
  return (
    <div class="field">
      <div class="check">
        <input
          type="checkbox"
          id={props.id}
          name={props.name}
          value={props.value ?? 'on'}
          checked={props.checked}
          aria-invalid={props.error ? 'true' : undefined}
          aria-describedby={describedBy(errorId, hintId)}
        />
        <label for={props.id}>{props.label}</label>
      </div>
      {props.hint ? (
        <p class="hint" id={hintId}>
          {props.hint}
        </p>
      ) : null}
      {props.error ? (
        <p class="field-error" id={errorId}>
          {props.error}
        </p>
      ) : null}
    </div>
  );
}

/** "There is a problem" summary with links to the fields. */
export function ErrorSummary(props: { items: Array<{ href: string; message: string }> }) {
  if (props.items.length === 0) return null;
  return (
    <div class="alert alert-error" role="alert">
      <div>
        <p>
          <strong>{props.items.length === 1 ? 'Please fix the problem below.' : 'Please fix the problems below.'}</strong>
        </p>
        <ul>
          {props.items.map((item) => (
            <li>
              <a href={item.href}>{item.message}</a>
            </li>
          ))}
        </ul>
      </div>
    </div>
  );
}

/** Builds ErrorSummary items from a field-name → message record, in the given field order. */
export function summaryItems(errors: FieldErrors | undefined, idFor: (name: string) => string, order: string[] = []) {
  if (!errors) return [];
  const names = [...order.filter((n) => errors[n]), ...Object.keys(errors).filter((n) => !order.includes(n) && errors[n])];
  return names.map((name) => ({ href: `#${idFor(name)}`, message: errors[name]! }));
}

/* --------------------------------------------------------------- feedback */

export function Alert(props: { kind: 'error' | 'success' | 'warning' | 'info'; children?: Child; id?: string }) {
  const role = props.kind === 'error' ? 'alert' : props.kind === 'success' ? 'status' : undefined;
  return (
    <div class={`alert alert-${props.kind}`} role={role} id={props.id}>
      <p>{props.children}</p>
    </div>
  );
}

/* ---------------------------------------------------------------- visuals */

export function Avatar(props: { name: string; logoUrl?: string | null | undefined; size?: 'sm' | 'md' | 'lg' }) {
  const size = props.size === 'lg' ? ' avatar-lg' : props.size === 'sm' ? ' avatar-sm' : '';
  const src = safeUrl(props.logoUrl);
  if (src) {
    return (
      <span class={`avatar${size}`}>
        <img src={src} alt="" referrerpolicy="no-referrer" loading="lazy" />
      </span>
    );
  }
  return (
    <span class={`avatar${size} ${avatarColour(props.name)}`} aria-hidden="true">
      {initialOf(props.name)}
    </span>
  );
}

/** A 16×16 icon, written as markup rather than an <svg> element: see ui/render.ts. */
function icon(className: string | undefined, path: string) {
  const classAttribute = className ? ` class="${escapeHtml(className)}"` : '';
  return markup(`<svg${classAttribute} viewBox="0 0 16 16" width="16" height="16" aria-hidden="true" focusable="false" fill="currentColor"><path d="${path}"/></svg>`);
}

export function CheckIcon(props: { class?: string }) {
  return icon(props.class, 'M13.78 4.22a.75.75 0 0 1 0 1.06l-7.25 7.25a.75.75 0 0 1-1.06 0L2.22 9.28a.75.75 0 1 1 1.06-1.06L6 10.94l6.72-6.72a.75.75 0 0 1 1.06 0Z');
}

export function AlertIcon(props: { class?: string }) {
  return icon(
    props.class,
    'M6.46 1.78a1.75 1.75 0 0 1 3.08 0l5.25 9.5A1.75 1.75 0 0 1 13.25 14H2.75a1.75 1.75 0 0 1-1.54-2.72l5.25-9.5ZM8 5a.75.75 0 0 0-.75.75v2.5a.75.75 0 0 0 1.5 0v-2.5A.75.75 0 0 0 8 5Zm0 6.5a.9.9 0 1 0 0-1.8.9.9 0 0 0 0 1.8Z',
  );
}

export function VerifiedBadge(props: { verified: boolean }) {
  return props.verified ? (
    <span class="badge badge-verified">
      <CheckIcon />
      Verified
    </span>
  ) : (
    <span class="badge">Unverified</span>
  );
}

export function Time(props: { at: number; withTime?: boolean }) {
  return (
    <time datetime={isoDate(props.at)} title={formatDateTime(props.at)}>
      {props.withTime ? formatDateTime(props.at) : formatDate(props.at)}
    </time>
  );
}

/** Hidden until the script reveals it; copies the target element's value or text. */
export function CopyButton(props: { target: string; label: string }) {
  return (
    <button type="button" class="btn btn-sm" data-copy={`#${props.target}`} hidden>
      Copy<span class="sr-only"> {props.label}</span>
    </button>
  );
}

/** An external link (rel=noopener noreferrer), only for http(s) URLs; otherwise plain text or nothing. */
export function ExternalLink(props: { href: string | null | undefined; children?: Child; class?: string }) {
  const href = safeUrl(props.href);
  if (!href) return null;
  return (
    <a href={href} class={props.class} rel="noopener noreferrer nofollow" target="_blank">
      {props.children ?? href}
      <span class="sr-only"> (opens in a new tab)</span>
    </a>
  );
}
