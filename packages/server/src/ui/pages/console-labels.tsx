/** @jsxImportSource hono/jsx */
/** Labels and small pieces the console pages share: roles, visibility, auth methods, grant types. */
import type { Child } from 'hono/jsx';
import type { SelectOption } from '../components.js';

export type Role = 'owner' | 'admin' | 'member';
export const roleOptions: SelectOption[] = [
  { value: 'member', label: 'Member' },
  { value: 'admin', label: 'Admin' },
  { value: 'owner', label: 'Owner' },
];
export const roleLabel = (role: string) => roleOptions.find((o) => o.value === role)?.label ?? role;

export const visibilityInfo: Record<string, { label: string; sentence: string }> = {
  internal: { label: 'Internal', sentence: 'Only members of the owning workspace can authorize this app.' },
  unlisted: { label: 'Unlisted', sentence: 'Anyone with the link can authorize this app; it is not listed in the directory.' },
  public: { label: 'Public', sentence: 'Listed in the app directory; anyone can authorize it.' },
};

export const authMethodInfo: Record<string, string> = {
  client_secret_basic: 'The app sends its client ID and secret with HTTP Basic authentication. Recommended for server-side apps.',
  client_secret_post: 'The app sends its client ID and secret in the body of the token request.',
  none: 'A public client with no secret, for browser and native apps. PKCE protects the authorization code.',
};

export const grantTypeInfo: Record<string, string> = {
  authorization_code: 'Users sign in and approve the app (with PKCE).',
  refresh_token: 'The app can renew access without asking the user again.',
  client_credentials: 'The app acts on its own behalf, with no user. Needs a client secret.',
};

export function VisibilityBadge(props: { visibility: string }) {
  return <span class="badge">{visibilityInfo[props.visibility]?.label ?? props.visibility}</span>;
}

export function Empty(props: { children?: Child }) {
  return <div class="empty">{props.children}</div>;
}

/* ------------------------------------------------------------------- home */
