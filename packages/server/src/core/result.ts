/** What an endpoint returns; `src/http` turns it into a response and nothing more. */
import type { OAuthError } from './errors.js';

export interface CookieInstruction {
  name: 'session';
  /** Undefined clears the cookie. */
  value: string | undefined;
  maxAge?: number;
}

export type PageModel =
  | { name: 'error'; error: OAuthError }
  | { name: 'login'; interactionId: string; clientName: string; error?: string; username?: string }
  | {
      name: 'consent';
      interactionId: string;
      redirectUri: string;
      client: { id: string; name: string; logoUrl: string | null; homepageUrl: string | null; verified: boolean; description: string | null };
      user: { username: string; name: string | null };
      scopes: Array<{ name: string; description: string }>;
      workspaceChoice: { needed: boolean; multiple: boolean; options: Array<{ id: string; name: string; slug: string }>; selected: string[] };
      /** A refresh token will be issued, so the page says the app stays connected (OIDC Core §11). */
      staysConnected: boolean;
      error?: string;
    }
  | { name: 'select-account'; interactionId: string; clientName: string; user: { username: string; name: string | null } };

export type EndpointResult =
  | { type: 'json'; status: number; body: unknown; headers?: Record<string, string>; cookies?: CookieInstruction[] }
  | { type: 'redirect'; location: string; cookies?: CookieInstruction[] }
  | { type: 'page'; status: number; page: PageModel; cookies?: CookieInstruction[] }
  | { type: 'empty'; status: number; headers?: Record<string, string> };

export const json = (body: unknown, status = 200, headers?: Record<string, string>): EndpointResult => ({
  type: 'json',
  status,
  body,
  ...(headers ? { headers } : {}),
});

export const errorPage = (error: OAuthError): EndpointResult => ({
  type: 'page',
  status: error.status >= 500 ? error.status : 400,
  page: { name: 'error', error },
});
