/** @jsxImportSource hono/jsx */
/**
 * Labels and small pieces the console pages share: roles and visibility. The descriptions of
 * auth methods and grant types come with them from core's registries (AppFormChoices).
 */
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

export function VisibilityBadge(props: { visibility: string }) {
  return <span class="badge">{visibilityInfo[props.visibility]?.label ?? props.visibility}</span>;
}

export function Empty(props: { children?: Child }) {
  return <div class="empty">{props.children}</div>;
}

/* ------------------------------------------------------------------- home */
