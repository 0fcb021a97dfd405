/** Cookies: HttpOnly, SameSite=Lax, Secure when the issuer is https. Values are opaque random ids. */
import type { Context } from 'hono';
import { getCookie, setCookie, deleteCookie } from 'hono/cookie';
import { randomId, safeEqual } from '../core/tokens/opaque.js';
import type { CookieInstruction } from '../core/result.js';

export const SESSION_COOKIE = 'gatehouse_session';
export const CSRF_COOKIE = 'gatehouse_csrf';

export interface CookiePolicy {
  secure: boolean;
  signupEnabled: boolean;
}

export const readSessionCookie = (c: Context): string | undefined => getCookie(c, SESSION_COOKIE);

export function applyCookies(c: Context, policy: CookiePolicy, cookies: CookieInstruction[] | undefined): void {
  for (const cookie of cookies ?? []) {
    if (cookie.name !== 'session') continue;
    if (cookie.value === undefined) deleteCookie(c, SESSION_COOKIE, { path: '/', secure: policy.secure });
    else setCookie(c, SESSION_COOKIE, cookie.value, { path: '/', httpOnly: true, sameSite: 'Lax', secure: policy.secure, ...(cookie.maxAge ? { maxAge: cookie.maxAge } : {}) });
  }
}

/**
 * CSRF protection for every form: a random token in an HttpOnly SameSite cookie, echoed in a
 * hidden field the server renders (double submit); cross-site pages can neither read nor set it.
 */
export function csrfToken(c: Context, policy: CookiePolicy): string {
  const existing = getCookie(c, CSRF_COOKIE);
  if (existing && /^[\w-]{32,64}$/.test(existing)) return existing;
  const token = randomId(24);
  setCookie(c, CSRF_COOKIE, token, { path: '/', httpOnly: true, sameSite: 'Lax', secure: policy.secure });
  return token;
}

export function csrfValid(c: Context, submitted: string | undefined): boolean {
  const expected = getCookie(c, CSRF_COOKIE);
  return Boolean(expected && submitted && safeEqual(expected, submitted));
}
