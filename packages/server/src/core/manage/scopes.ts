/**
 * The scope catalogue. Clients may only register scopes from it (RFC 7591 §2 `scope`), and the
 * consent screen shows each scope's description, so descriptions are required and short.
 */
import { ForbiddenError, NotFoundError, ValidationError } from '../errors.js';
import type { Scope } from '../model.js';
import type { Stores } from '../stores.js';
import type { ManageDeps } from './deps.js';

/**
 * `resource:action` style names such as `project:read`, `model-eval:read`, `training-job:create`
 * or `files:*`. Only `scope-token` characters of RFC 6749 §3.3 are used, and never a space.
 */
export const SCOPE_NAME_PATTERN = /^[a-z][a-z0-9_.-]*(?::[a-z0-9_.*-]+)*$/;
export const SCOPE_NAME_MAX_LENGTH = 64;
export const SCOPE_DESCRIPTION_MAX_LENGTH = 200;

export interface ScopeInput {
  name: string;
  description: string;
  requiresWorkspace?: boolean | undefined;
}

export function validateScopeName(name: unknown, field = 'name'): string {
  if (typeof name !== 'string' || name === '') throw ValidationError.named(field, `is required`);
  if (name.length > SCOPE_NAME_MAX_LENGTH) {
    throw ValidationError.named(field, `must be at most ${SCOPE_NAME_MAX_LENGTH} characters`);
  }
  if (!SCOPE_NAME_PATTERN.test(name)) {
    throw ValidationError.named(
      field,
      `"${name}" is not a valid scope name (lowercase letters, digits, "_", ".", "-", with ":" separated parts, e.g. "project:read")`,
    );
  }
  return name;
}

export function validateScopeDescription(description: unknown, field = 'description'): string {
  if (typeof description !== 'string' || description.trim() === '') {
    throw ValidationError.named(field, `is required`);
  }
  const trimmed = description.trim();
  if (trimmed.length > SCOPE_DESCRIPTION_MAX_LENGTH) {
    throw ValidationError.named(field, `must be at most ${SCOPE_DESCRIPTION_MAX_LENGTH} characters`);
  }
  return trimmed;
}

export async function createScope(deps: ManageDeps, input: ScopeInput): Promise<Scope> {
  const { stores } = deps;
  const scope: Scope = {
    name: validateScopeName(input.name),
    description: validateScopeDescription(input.description),
    requiresWorkspace: input.requiresWorkspace ?? false,
    builtin: false,
  };
  // The store throws ConflictError('name') when the scope exists.
  return stores.createScope(scope);
}

/**
 * Changes a catalogue scope's description and workspace flag. NotFoundError when there is no such
 * scope; ForbiddenError for a built-in scope, whose meaning the protocol fixes; the description
 * is validated as at creation.
 */
export async function updateScope(deps: ManageDeps, name: string, input: { description: unknown; requiresWorkspace: boolean }): Promise<Scope> {
  const [existing] = await deps.stores.findScopes([name]);
  if (!existing) throw new NotFoundError('scope', `scope "${name}" not found`);
  if (existing.builtin) throw new ForbiddenError(`${name} is a built-in scope and cannot be changed.`);
  const scope: Scope = { name, description: validateScopeDescription(input.description), requiresWorkspace: input.requiresWorkspace, builtin: false };
  await deps.stores.upsertScope(scope);
  return scope;
}

export async function listScopes(deps: ManageDeps): Promise<Scope[]> {
  const { stores } = deps;
  const scopes = await stores.listScopes();
  return [...scopes].sort((a, b) => Number(b.builtin) - Number(a.builtin) || a.name.localeCompare(b.name));
}

/**
 * Parses and validates a scope file: a JSON array of
 * `{ "name", "description", "requires_workspace" | "requiresWorkspace" }`.
 * Errors name the entry, e.g. `scopes[2].name`.
 */
export function parseScopeFile(json: unknown): Scope[] {
  let data = json;
  if (typeof json === 'string') {
    try {
      data = JSON.parse(json);
    } catch (error) {
      throw ValidationError.named('scopes', `not valid JSON (${(error as Error).message})`);
    }
  }
  if (!Array.isArray(data)) throw ValidationError.named('scopes', 'expected a JSON array of scopes');
  const seen = new Set<string>();
  return data.map((entry: unknown, index): Scope => {
    const at = `scopes[${index}]`;
    if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) {
      throw ValidationError.named(at, `expected an object with name and description`);
    }
    const record = entry as Record<string, unknown>;
    const name = validateScopeName(record['name'], `${at}.name`);
    if (seen.has(name)) throw ValidationError.named(`${at}.name`, `"${name}" appears twice`);
    seen.add(name);
    const flag = record['requires_workspace'] ?? record['requiresWorkspace'] ?? false;
    if (typeof flag !== 'boolean') {
      throw ValidationError.named(`${at}.requires_workspace`, `must be true or false`);
    }
    return {
      name,
      description: validateScopeDescription(record['description'], `${at}.description`),
      requiresWorkspace: flag,
      builtin: false,
    };
  });
}

/**
 * Idempotent upsert of a scope file: validates every entry before writing any, and refuses to
 * redefine built-in scopes (`openid`, `profile`, …), whose meaning the protocol fixes.
 */
export async function importScopes(deps: ManageDeps, json: unknown): Promise<{ created: number; updated: number }> {
  const { stores } = deps;
  const scopes = parseScopeFile(json);
  if (scopes.length > 0) {
    const existing = await stores.findScopes(scopes.map((scope) => scope.name));
    const builtin = existing.find((scope) => scope.builtin);
    if (builtin) {
      const index = scopes.findIndex((scope) => scope.name === builtin.name);
      throw ValidationError.named(`scopes[${index}].name`, `"${builtin.name}" is a built-in scope`);
    }
  }
  let created = 0;
  let updated = 0;
  for (const scope of scopes) {
    const result = await stores.upsertScope(scope);
    if (result.created) created++;
    else updated++;
  }
  return { created, updated };
}
