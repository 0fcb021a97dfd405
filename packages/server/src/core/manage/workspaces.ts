/** Workspace management: the unit a token can be scoped to (`requires_workspace` scopes). */
import { ConflictError, NotFoundError, ValidationError } from '../errors.js';
import { workspaceRoles, type User, type Workspace, type WorkspaceRole } from '../model.js';
import type { Stores } from '../stores.js';
import { requireUserByUsername } from './users.js';
import type { ManageDeps } from './deps.js';

/** Lowercase, digits and inner hyphens, 2–48 characters: safe in URLs and in token claims. */
export const WORKSPACE_SLUG_PATTERN = /^[a-z0-9](?:[a-z0-9-]{0,46}[a-z0-9])$/;
const NAME_MAX_LENGTH = 100;

export type CreateWorkspaceInput = { name: string; slug?: string | undefined } & (
  | { ownerUsername: string; ownerUserId?: undefined }
  | { ownerUserId: string; ownerUsername?: undefined }
);

/** "Acme Research (EU)" → "acme-research-eu"; diacritics are folded ("Zürich" → "zurich"). */
export function slugify(name: string): string {
  return name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+/, '')
    .slice(0, 48)
    .replace(/-+$/, '');
}

function validateWorkspaceName(name: unknown): string {
  if (typeof name !== 'string' || name.trim() === '') throw ValidationError.named('name', 'is required');
  const trimmed = name.trim();
  if (trimmed.length > NAME_MAX_LENGTH) {
    throw ValidationError.named('name', `must be at most ${NAME_MAX_LENGTH} characters`);
  }
  return trimmed;
}

export function validateSlug(slug: unknown): string {
  if (typeof slug !== 'string' || !WORKSPACE_SLUG_PATTERN.test(slug)) {
    throw ValidationError.named(
      'slug',
      'must be 2-48 characters of lowercase letters, digits and "-", not starting or ending with "-"',
    );
  }
  return slug;
}

export async function createWorkspace(deps: ManageDeps, input: CreateWorkspaceInput): Promise<Workspace> {
  const { stores } = deps;
  const name = validateWorkspaceName(input.name);
  let slug: string;
  if (input.slug !== undefined && input.slug !== '') {
    slug = validateSlug(input.slug);
  } else {
    slug = slugify(name);
    if (!WORKSPACE_SLUG_PATTERN.test(slug)) {
      throw ValidationError.named('slug', `cannot derive one from "${name}"; give a slug explicitly`);
    }
  }
  let owner: User | undefined;
  if (input.ownerUserId !== undefined) {
    owner = await stores.findUserById(input.ownerUserId);
    if (!owner) throw new NotFoundError('user', `user ${input.ownerUserId} not found`);
  } else {
    owner = await requireUserByUsername(deps, input.ownerUsername);
  }
  if (await stores.findWorkspaceBySlug(slug)) {
    throw ConflictError.named('slug', `workspace "${slug}" already exists`);
  }
  return stores.createWorkspace({ name, slug, ownerUserId: owner.id });
}

export function validateRole(role: unknown): WorkspaceRole {
  if (typeof role !== 'string' || !(workspaceRoles as readonly string[]).includes(role)) {
    throw ValidationError.named('role', `must be one of ${workspaceRoles.join(', ')}`);
  }
  return role as WorkspaceRole;
}

export interface AddWorkspaceMemberInput {
  workspaceSlug: string;
  username: string;
  /** Default `member`. */
  role?: WorkspaceRole | string | undefined;
}

/**
 * Adds a member, or changes an existing member's role. Refuses to demote the last owner, which
 * would leave a workspace nobody can administer.
 */
export async function addWorkspaceMember(
  deps: ManageDeps,
  input: AddWorkspaceMemberInput,
): Promise<{ workspace: Workspace; user: User; role: WorkspaceRole }> {
  const { stores } = deps;
  const role = validateRole(input.role ?? 'member');
  const workspace = await stores.findWorkspaceBySlug(input.workspaceSlug);
  if (!workspace) throw new NotFoundError('workspace', `workspace "${input.workspaceSlug}" not found`);
  const user = await requireUserByUsername(deps, input.username);
  const current = await stores.findMembership(workspace.id, user.id);
  if (current === 'owner' && role !== 'owner') {
    const owners = (await stores.listMembers(workspace.id)).filter((member) => member.role === 'owner');
    if (owners.length <= 1) {
      throw ConflictError.named('role', `"${user.username}" is the only owner of "${workspace.slug}"`);
    }
  }
  await stores.setMember(workspace.id, user.id, role);
  return { workspace, user, role };
}
