/**
 * Static assets for the server-rendered pages. The HTTP layer serves
 * `stylesheet` at `stylesheetPath` (text/css) and `script` at `scriptPath`
 * (text/javascript). Pages never use inline styles or inline scripts, so a
 * strict CSP (`style-src 'self'; script-src 'self'`) works.
 */

export const stylesheetPath = '/assets/gatehouse.css';
export const scriptPath = '/assets/gatehouse.js';

export const stylesheet = `
:root {
  color-scheme: light dark;
  --bg: #f5f6f8;
  --surface: #ffffff;
  --surface-2: #f2f4f7;
  --border: #d5dae1;
  --border-strong: #b8bfc9;
  --text: #1a1e24;
  --muted: #555f6d;
  --link: #1f55cc;
  --primary: #1f55cc;
  --primary-hover: #1a47ad;
  --primary-text: #ffffff;
  --danger: #b42318;
  --danger-hover: #912018;
  --danger-bg: #fdeceb;
  --danger-border: #f3b8b2;
  --success: #176b34;
  --success-bg: #e6f4ea;
  --success-border: #a7d7b5;
  --warning: #7a4d00;
  --warning-bg: #fff6db;
  --warning-border: #f0d27a;
  --focus: #1f55cc;
  --radius: 8px;
  --radius-sm: 6px;
  --shadow: 0 1px 2px rgba(16, 24, 40, .06), 0 4px 16px rgba(16, 24, 40, .06);
  --font: system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, "Noto Sans", sans-serif;
  --mono: ui-monospace, SFMono-Regular, "SF Mono", Menlo, Consolas, "Liberation Mono", monospace;
}
@media (prefers-color-scheme: dark) {
  :root {
    --bg: #0e1116;
    --surface: #161a21;
    --surface-2: #1d222b;
    --border: #2f3642;
    --border-strong: #465061;
    --text: #e7e9ee;
    --muted: #a1aab7;
    --link: #8db1ff;
    --primary: #2f62d8;
    --primary-hover: #3a6fe8;
    --primary-text: #ffffff;
    --danger: #ff9b91;
    --danger-hover: #ffb4ab;
    --danger-bg: #3a1714;
    --danger-border: #6e2a24;
    --success: #7dd39a;
    --success-bg: #12301d;
    --success-border: #245c37;
    --warning: #f5cf6b;
    --warning-bg: #33280c;
    --warning-border: #66501a;
    --focus: #8db1ff;
    --shadow: 0 1px 2px rgba(0, 0, 0, .4), 0 4px 16px rgba(0, 0, 0, .3);
  }
}

*, *::before, *::after { box-sizing: border-box; }
html { -webkit-text-size-adjust: 100%; text-size-adjust: 100%; }
body {
  margin: 0;
  min-height: 100vh;
  background: var(--bg);
  color: var(--text);
  font-family: var(--font);
  font-size: 16px;
  line-height: 1.5;
  overflow-wrap: anywhere;
}
h1, h2, h3 { line-height: 1.25; margin: 0 0 .5rem; font-weight: 650; }
h1 { font-size: 1.5rem; }
h2 { font-size: 1.2rem; }
h3 { font-size: 1.05rem; }
p { margin: 0 0 .75rem; }
a { color: var(--link); text-underline-offset: 2px; }
a:hover { text-decoration-thickness: 2px; }
code, kbd, pre, samp { font-family: var(--mono); font-size: .875em; }
code { background: var(--surface-2); border: 1px solid var(--border); border-radius: 4px; padding: .05em .35em; }
pre {
  margin: 0;
  padding: .75rem 1rem;
  background: var(--surface-2);
  border: 1px solid var(--border);
  border-radius: var(--radius-sm);
  overflow-x: auto;
  white-space: pre-wrap;
  word-break: break-all;
}
pre code { background: none; border: 0; padding: 0; font-size: inherit; }
img { max-width: 100%; }
ul.plain, ol.plain { list-style: none; margin: 0; padding: 0; }
hr { border: 0; border-top: 1px solid var(--border); margin: 1.5rem 0; }
[hidden] { display: none !important; }

:focus-visible { outline: 3px solid var(--focus); outline-offset: 2px; border-radius: 3px; }
input:focus-visible, select:focus-visible, textarea:focus-visible { outline-offset: 0; }

.sr-only {
  position: absolute !important; width: 1px; height: 1px; padding: 0; margin: -1px;
  overflow: hidden; clip: rect(0, 0, 0, 0); white-space: nowrap; border: 0;
}
.skip-link {
  position: absolute; left: .5rem; top: -10rem; z-index: 10;
  background: var(--surface); color: var(--link); padding: .5rem .75rem;
  border-radius: var(--radius-sm); box-shadow: var(--shadow);
}
.skip-link:focus { top: .5rem; }
.muted { color: var(--muted); }
.small { font-size: .875rem; }
.mono { font-family: var(--mono); }
.nowrap { white-space: nowrap; }

/* ---------- Sign-in flow: centred card ---------- */
.auth-shell {
  min-height: 100vh;
  display: flex;
  flex-direction: column;
  align-items: center;
  justify-content: center;
  padding: 2rem 1rem;
  gap: 1.25rem;
}
.auth-brand { display: flex; align-items: center; gap: .5rem; color: var(--muted); font-weight: 600; text-decoration: none; }
.auth-card {
  width: 100%;
  max-width: 26rem;
  background: var(--surface);
  border: 1px solid var(--border);
  border-radius: 12px;
  box-shadow: var(--shadow);
  padding: 2rem 1.75rem;
}
.auth-card.wide { max-width: 30rem; }
.auth-card > h1, .auth-head h1 { text-align: center; }
.auth-sub { text-align: center; color: var(--muted); margin-top: -.25rem; }
.auth-foot { color: var(--muted); font-size: .875rem; text-align: center; max-width: 26rem; }
.auth-foot p { margin: 0; }
@media (max-width: 420px) {
  .auth-shell { justify-content: flex-start; padding: 1.25rem .75rem; }
  .auth-card { padding: 1.5rem 1.125rem; border-radius: 10px; }
}

.logo-mark {
  display: inline-grid; place-items: center;
  width: 1.75rem; height: 1.75rem; border-radius: 7px;
  background: var(--primary); color: var(--primary-text);
  font-weight: 700; font-size: .95rem;
}

/* ---------- Console: top bar + content ---------- */
.topbar { background: var(--surface); border-bottom: 1px solid var(--border); }
.topbar-inner {
  max-width: 64rem; margin: 0 auto; padding: .5rem 1rem;
  display: flex; flex-wrap: wrap; align-items: center; gap: .25rem 1rem;
}
.brand { display: flex; align-items: center; gap: .5rem; font-weight: 650; color: var(--text); text-decoration: none; margin-right: auto; }
.nav { order: 3; width: 100%; display: flex; flex-wrap: wrap; gap: .125rem .25rem; margin: 0 -.625rem; padding-bottom: .125rem; }
.nav a {
  color: var(--muted); text-decoration: none; padding: .375rem .625rem; border-radius: var(--radius-sm);
  white-space: nowrap; font-size: .9375rem;
}
.nav a:hover { color: var(--text); background: var(--surface-2); }
.nav a[aria-current="page"] { color: var(--text); background: var(--surface-2); font-weight: 600; }
.account-menu { display: flex; align-items: center; gap: .5rem; margin-left: auto; }
.account-menu .who {
  color: var(--text); text-decoration: none; font-size: .9375rem;
  max-width: 12rem; overflow: hidden; text-overflow: ellipsis; white-space: nowrap;
}
.account-menu .who:hover { text-decoration: underline; }
@media (max-width: 420px) {
  .brand-name { display: none; }
  .account-menu .who { max-width: 8rem; }
}
.account-menu form { margin: 0; }
@media (min-width: 760px) {
  .nav { order: 0; width: auto; flex: 1; padding-bottom: 0; margin: 0; flex-wrap: nowrap; }
  .brand { margin-right: .5rem; }
}
.container { max-width: 64rem; margin: 0 auto; padding: 1.5rem 1rem 4rem; }
.container.narrow { max-width: 46rem; }
.page-head { display: flex; flex-wrap: wrap; align-items: center; justify-content: space-between; gap: .75rem; margin-bottom: 1.25rem; }
.page-head h1 { margin: 0; }
.page-head p { margin: .25rem 0 0; color: var(--muted); }
.title-row { display: flex; align-items: center; gap: .75rem; min-width: 0; }

.panel {
  background: var(--surface); border: 1px solid var(--border); border-radius: var(--radius);
  padding: 1.25rem; margin-bottom: 1.25rem;
}
.panel > h2:first-child, .panel > header:first-child { margin-bottom: .75rem; }
.panel-head { display: flex; flex-wrap: wrap; align-items: flex-start; justify-content: space-between; gap: .5rem 1rem; margin-bottom: .75rem; }
.panel-head h2, .panel-head h3 { margin: 0; }
.panel.danger { border-color: var(--danger-border); }
.section-nav { display: flex; flex-wrap: wrap; gap: .5rem; margin: 0 0 1.25rem; padding: 0; list-style: none; }
.section-nav a { display: inline-block; padding: .25rem .75rem; border: 1px solid var(--border); border-radius: 999px; text-decoration: none; font-size: .875rem; background: var(--surface); }

.grid { display: grid; gap: 1rem; grid-template-columns: repeat(auto-fill, minmax(15rem, 1fr)); }
.tile {
  display: block; background: var(--surface); border: 1px solid var(--border); border-radius: var(--radius);
  padding: 1rem 1.125rem; color: var(--text); text-decoration: none;
}
a.tile:hover { border-color: var(--border-strong); }
li.tile h2 { color: var(--text); }
.tile h2, .tile h3 { font-size: 1rem; margin-bottom: .25rem; color: var(--link); }
.tile p { margin: 0; color: var(--muted); font-size: .9375rem; }
.tile .count { font-size: 1.5rem; font-weight: 650; color: var(--text); }

.rows > li { display: flex; flex-wrap: wrap; align-items: center; gap: .5rem 1rem; padding: .75rem 0; border-top: 1px solid var(--border); }
.rows > li:first-child { border-top: 0; padding-top: 0; }
.rows > li:last-child { padding-bottom: 0; }
.row-main { flex: 1 1 14rem; min-width: 0; display: flex; align-items: center; gap: .75rem; }
.row-main > div { min-width: 0; }
.row-title { font-weight: 600; }
.row-meta { color: var(--muted); font-size: .875rem; display: flex; flex-wrap: wrap; gap: .125rem .75rem; }
.row-actions { display: flex; flex-wrap: wrap; align-items: center; gap: .5rem; }
.row-actions form { margin: 0; }

.table-wrap { overflow-x: auto; }
table { width: 100%; border-collapse: collapse; font-size: .9375rem; }
th, td { text-align: left; padding: .5rem .625rem; border-bottom: 1px solid var(--border); vertical-align: middle; }
th { font-weight: 600; color: var(--muted); font-size: .8125rem; text-transform: uppercase; letter-spacing: .03em; }
tr:last-child td { border-bottom: 0; }

dl.props { display: grid; grid-template-columns: minmax(8rem, 12rem) 1fr; gap: .5rem 1rem; margin: 0; }
dl.props dt { color: var(--muted); font-size: .9375rem; }
dl.props dd { margin: 0; min-width: 0; }
@media (max-width: 560px) { dl.props { grid-template-columns: 1fr; gap: .125rem; } dl.props dd { margin-bottom: .5rem; } }

.empty { text-align: center; padding: 2rem 1rem; color: var(--muted); }
.empty p { margin-bottom: .75rem; }

/* ---------- Forms ---------- */
form { margin: 0; }
.stack > * + * { margin-top: 1rem; }
.field { margin-bottom: 1rem; }
.field:last-child { margin-bottom: 0; }
.field-head { display: flex; align-items: baseline; justify-content: space-between; gap: .5rem; margin-bottom: .3rem; }
label, .label { font-weight: 600; font-size: .9375rem; }
.field > label { display: block; margin-bottom: .3rem; }
.optional { font-size: .8125rem; color: var(--muted); font-weight: 400; }
.hint { color: var(--muted); font-size: .875rem; margin: .3rem 0 0; }
.field-error { color: var(--danger); font-size: .875rem; font-weight: 500; margin: .35rem 0 0; display: flex; gap: .35rem; align-items: flex-start; }
.field-error::before { content: "!"; flex: none; display: inline-grid; place-items: center; width: 1.05rem; height: 1.05rem; margin-top: .12rem; border-radius: 50%; background: var(--danger); color: var(--surface); font-size: .7rem; font-weight: 700; }

input[type="text"], input[type="password"], input[type="email"], input[type="url"], input[type="number"], input[type="search"], select, textarea {
  display: block; width: 100%;
  font: inherit; color: var(--text);
  background: var(--surface); border: 1px solid var(--border-strong); border-radius: var(--radius-sm);
  padding: .5rem .75rem; min-height: 2.625rem;
}
textarea { min-height: 6rem; resize: vertical; font-family: var(--mono); font-size: .875rem; line-height: 1.5; }
textarea.prose { font-family: var(--font); font-size: 1rem; }
select { appearance: auto; }
input:hover, select:hover, textarea:hover { border-color: var(--muted); }
input:focus-visible, select:focus-visible, textarea:focus-visible { border-color: var(--focus); outline: 2px solid var(--focus); }
[aria-invalid="true"] { border-color: var(--danger) !important; }
input[readonly] { background: var(--surface-2); }
input.mono { font-family: var(--mono); font-size: .875rem; }

fieldset { border: 0; margin: 0 0 1rem; padding: 0; min-width: 0; }
legend { font-weight: 600; font-size: .9375rem; padding: 0; margin-bottom: .5rem; }
fieldset.section { border-top: 1px solid var(--border); padding-top: 1.25rem; margin-top: 1.5rem; }
fieldset.section > legend { float: left; width: 100%; font-size: 1.05rem; margin-bottom: .75rem; }
fieldset.section > legend + * { clear: left; }
fieldset.section:first-of-type { border-top: 0; padding-top: 0; margin-top: 0; }
fieldset.group > .hint { margin: -.25rem 0 .625rem; }
fieldset.group[aria-invalid="true"] { border: 0 !important; }

.choices { display: grid; gap: .5rem; }
.choice {
  display: flex; align-items: flex-start; gap: .625rem;
  padding: .625rem .75rem; border: 1px solid var(--border); border-radius: var(--radius-sm); background: var(--surface);
}
.choice:has(input:checked) { border-color: var(--primary); background: var(--surface-2); }
.choice input { flex: none; margin: .2rem 0 0; width: 1.125rem; height: 1.125rem; accent-color: var(--primary); }
.choice-body { min-width: 0; flex: 1; }
.choice-body label { display: block; cursor: pointer; }
.choice-body .hint { margin-top: .125rem; }
.choices.compact .choice { padding: .5rem .625rem; }
.check { display: flex; align-items: center; gap: .5rem; }
.check input { width: 1.125rem; height: 1.125rem; margin: 0; accent-color: var(--primary); }

.form-row { display: grid; gap: 0 1rem; grid-template-columns: 1fr; }
.form-row > .field, .form-row > .field:last-child { margin-bottom: 1rem; }
@media (min-width: 640px) { .form-row { grid-template-columns: 1fr 1fr; } }
.inline-form { display: flex; flex-wrap: wrap; align-items: flex-end; gap: .5rem .75rem; }
.inline-form .field { margin: 0; flex: 1 1 12rem; }
.inline-form .field.narrow { flex: 0 1 9rem; }
.compact-form { display: flex; align-items: center; gap: .5rem; flex-wrap: nowrap; }
.compact-form label { font-weight: 500; color: var(--muted); white-space: nowrap; margin: 0; }
.compact-form select { width: auto; min-height: 2.125rem; padding: .25rem .5rem; }
@media (max-width: 420px) { .compact-form label { white-space: normal; } }
.error-body { text-align: center; }
.error-body h1 { font-size: 1.375rem; margin-bottom: .75rem; }
.actions { display: flex; flex-wrap: wrap; align-items: center; gap: .75rem; margin-top: 1.25rem; }
.actions.end { justify-content: flex-end; }
.form-row + .actions { margin-top: .25rem; }
.actions.split > * { flex: 1 1 0; }

/* ---------- Buttons ---------- */
.btn, button {
  display: inline-flex; align-items: center; justify-content: center; gap: .4rem;
  font: inherit; font-weight: 600; font-size: .9375rem; line-height: 1.2;
  min-height: 2.625rem; padding: .55rem 1rem;
  border-radius: var(--radius-sm); border: 1px solid var(--border-strong);
  background: var(--surface); color: var(--text);
  cursor: pointer; text-decoration: none; white-space: nowrap;
}
.btn:hover, button:hover { background: var(--surface-2); }
.btn-primary, button.btn-primary { background: var(--primary); border-color: var(--primary); color: var(--primary-text); }
.btn-primary:hover, button.btn-primary:hover { background: var(--primary-hover); border-color: var(--primary-hover); }
.btn-danger, button.btn-danger { background: var(--surface); border-color: var(--danger-border); color: var(--danger); }
.btn-danger:hover, button.btn-danger:hover { background: var(--danger-bg); }
.btn-block { width: 100%; }
.btn-sm, button.btn-sm { min-height: 2.125rem; padding: .3rem .7rem; font-size: .875rem; }
.btn-link, button.btn-link {
  background: none; border: 0; min-height: 0; padding: .25rem .375rem; color: var(--link); font-weight: 500;
  text-decoration: underline; text-underline-offset: 2px;
}
.btn-link:hover, button.btn-link:hover { background: none; text-decoration-thickness: 2px; }
button:disabled { opacity: .55; cursor: not-allowed; }

/* ---------- Feedback ---------- */
.alert {
  display: flex; gap: .6rem; align-items: flex-start;
  border: 1px solid var(--border); border-radius: var(--radius-sm);
  padding: .75rem .875rem; margin-bottom: 1rem; font-size: .9375rem;
}
.alert p { margin: 0; }
.alert ul { margin: .25rem 0 0; padding-left: 1.25rem; }
.alert-error { background: var(--danger-bg); border-color: var(--danger-border); color: var(--text); }
.alert-error strong { color: var(--danger); }
.alert-success { background: var(--success-bg); border-color: var(--success-border); }
.alert-warning { background: var(--warning-bg); border-color: var(--warning-border); }
.alert-info { background: var(--surface-2); }

.badge {
  display: inline-flex; align-items: center; gap: .25rem;
  font-size: .75rem; font-weight: 600; line-height: 1; white-space: nowrap;
  padding: .3rem .5rem; border-radius: 999px; border: 1px solid var(--border); color: var(--muted); background: var(--surface-2);
  vertical-align: middle;
}
.badge-verified { color: var(--success); background: var(--success-bg); border-color: var(--success-border); }
.badge-warning { color: var(--warning); background: var(--warning-bg); border-color: var(--warning-border); }
.badge-danger { color: var(--danger); background: var(--danger-bg); border-color: var(--danger-border); }
.badge-info { color: var(--link); }
.badge svg { width: .8rem; height: .8rem; }

/* ---------- Avatars ---------- */
.avatar {
  flex: none; display: inline-grid; place-items: center; overflow: hidden;
  width: 2.5rem; height: 2.5rem; border-radius: 10px;
  font-weight: 700; font-size: 1.1rem; color: #fff; background: #5b6475;
  border: 1px solid var(--border);
}
.avatar img { width: 100%; height: 100%; object-fit: cover; background: #fff; }
.avatar-lg { width: 4rem; height: 4rem; border-radius: 14px; font-size: 1.75rem; }
.avatar-sm { width: 2rem; height: 2rem; border-radius: 8px; font-size: .9rem; }
.avatar-c0 { background: #2f5fcf; }
.avatar-c1 { background: #7a3fc4; }
.avatar-c2 { background: #0f7b6c; }
.avatar-c3 { background: #b5471b; }
.avatar-c4 { background: #a3245a; }
.avatar-c5 { background: #3d6b1f; }

/* ---------- Consent ---------- */
.consent-head { text-align: center; margin-bottom: 1.25rem; }
.consent-head .avatar { margin: 0 auto .875rem; }
.consent-head h1 { font-size: 1.3rem; margin-bottom: .5rem; }
.consent-meta { display: flex; flex-wrap: wrap; align-items: center; justify-content: center; gap: .375rem .75rem; font-size: .875rem; color: var(--muted); }
.consent-note { margin: .75rem 0 0; font-size: .875rem; }
.signed-in {
  display: flex; flex-wrap: wrap; justify-content: space-between; align-items: center; gap: .25rem .75rem;
  padding: .625rem .75rem; border: 1px solid var(--border); border-radius: var(--radius-sm);
  background: var(--surface-2); font-size: .9375rem; margin-bottom: 1.25rem;
}
.scope-list { list-style: none; margin: 0 0 1.25rem; padding: 0; border: 1px solid var(--border); border-radius: var(--radius-sm); }
.scope-list li { display: flex; gap: .75rem; padding: .75rem; border-top: 1px solid var(--border); }
.scope-list li:first-child { border-top: 0; }
.scope-list .tick { flex: none; width: 1.25rem; height: 1.25rem; margin-top: .1rem; color: var(--success); }
.scope-list .scope-name { font-size: .8125rem; color: var(--muted); font-family: var(--mono); }
.scope-list .scope-desc { display: block; font-weight: 500; }
.section-label { font-weight: 600; font-size: .9375rem; margin-bottom: .5rem; }
.fine-print { font-size: .8125rem; color: var(--muted); margin: 1rem 0 0; text-align: center; }
.fine-print p { margin: 0 0 .25rem; }

/* ---------- Secrets and code ---------- */
.secret-box {
  border: 2px solid var(--warning-border); background: var(--warning-bg);
  border-radius: var(--radius); padding: 1rem 1.125rem; margin-bottom: 1.25rem;
}
.secret-box h2 { font-size: 1.05rem; }
.copy-row { display: flex; gap: .5rem; align-items: stretch; }
.copy-row input, .copy-row pre { flex: 1; min-width: 0; }
.copy-row button { flex: none; }
.code-block { position: relative; }
.code-head { display: flex; justify-content: space-between; align-items: center; gap: .5rem; margin-bottom: .35rem; }

/* ---------- Error page ---------- */
.error-code { font-family: var(--mono); font-size: .875rem; display: inline-block; padding: .2rem .5rem; border-radius: 4px; background: var(--surface-2); border: 1px solid var(--border); }
.error-status { text-transform: uppercase; letter-spacing: .06em; font-size: .75rem; font-weight: 600; color: var(--muted); margin-bottom: .5rem; text-align: center; }
.error-icon { display: grid; place-items: center; width: 3rem; height: 3rem; margin: 0 auto 1rem; border-radius: 50%; background: var(--danger-bg); color: var(--danger); }
.error-icon svg { width: 1.5rem; height: 1.5rem; }

details > summary { cursor: pointer; color: var(--link); font-size: .875rem; font-weight: 500; }
details[open] > summary { margin-bottom: .75rem; }
details.edit { width: 100%; }

@media (prefers-reduced-motion: no-preference) {
  .btn, button, .nav a, input, select, textarea, .choice { transition: background-color .12s, border-color .12s, color .12s; }
}
@media (forced-colors: active) {
  .badge, .btn, button, .choice { border: 1px solid CanvasText; }
}
@media print {
  .topbar, .skip-link, button, .btn { display: none !important; }
}
`;

/**
 * Progressive enhancement only; every page works without it.
 * - `<button data-copy="#id" hidden>`: revealed, copies the target's value / text.
 * - `<form data-confirm="…">`: asks before submitting.
 */
export const script = `(function () {
  'use strict';
  var live = document.createElement('div');
  live.className = 'sr-only';
  live.setAttribute('role', 'status');
  live.setAttribute('aria-live', 'polite');
  document.addEventListener('DOMContentLoaded', function () { document.body.appendChild(live); });
  function announce(msg) { live.textContent = ''; setTimeout(function () { live.textContent = msg; }, 50); }
  function textOf(el) { return ('value' in el && typeof el.value === 'string') ? el.value : el.textContent || ''; }
  function fallbackCopy(el, text) {
    var ta = document.createElement('textarea');
    ta.value = text; ta.setAttribute('readonly', ''); ta.className = 'sr-only';
    document.body.appendChild(ta); ta.select();
    var ok = false;
    try { ok = document.execCommand('copy'); } catch (e) { ok = false; }
    document.body.removeChild(ta);
    if (!ok && el.select) { el.focus(); el.select(); }
    return ok;
  }
  function init() {
    var buttons = document.querySelectorAll('button[data-copy]');
    Array.prototype.forEach.call(buttons, function (btn) {
      btn.hidden = false;
      var original = btn.textContent;
      btn.addEventListener('click', function () {
        var target = document.querySelector(btn.getAttribute('data-copy'));
        if (!target) return;
        var text = textOf(target);
        function done(ok) {
          btn.textContent = ok ? 'Copied' : 'Press Ctrl+C to copy';
          announce(ok ? 'Copied to clipboard' : 'Select the text and copy it');
          setTimeout(function () { btn.textContent = original; }, 2000);
        }
        if (navigator.clipboard && window.isSecureContext) {
          navigator.clipboard.writeText(text).then(function () { done(true); }, function () { done(fallbackCopy(target, text)); });
        } else {
          done(fallbackCopy(target, text));
        }
      });
    });
  }
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', init); else init();
  document.addEventListener('submit', function (event) {
    var form = event.target;
    if (!form || !form.getAttribute) return;
    var message = form.getAttribute('data-confirm');
    if (message && !window.confirm(message)) event.preventDefault();
  }, true);
})();
`;
