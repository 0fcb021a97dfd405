/** @jsxImportSource hono/jsx */
/** Alerts, avatars, icons, badges, times, copy buttons and external links. */
import type { Child } from 'hono/jsx';
import { avatarColour, formatDate, formatDateTime, initialOf, isoDate, safeUrl } from '../format.js';
import { escapeHtml, markup } from '../render.js';

export function Alert(props: { kind: 'error' | 'success' | 'warning' | 'info'; children?: Child; id?: string }) {
  const role = props.kind === 'error' ? 'alert' : props.kind === 'success' ? 'status' : undefined;
  return (
    <div class={`alert alert-${props.kind}`} role={role} id={props.id}>
      <p>{props.children}</p>
    </div>
  );
}


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
