/**
 * What an authorization request needs next, given who is signed in and what they have already
 * approved: sign-in, account selection, consent, or nothing (issue the code).
 * OpenID Connect Core §3.1.2.3 (prompt, max_age), §3.1.2.6 (errors for prompt=none).
 */
import type { CoreDeps } from '../deps.js';
import { errors } from '../error-catalogue.js';
import { OAuthError } from '../errors.js';
import type { Client, Grant, Scope, WorkspaceMembership } from '../model.js';
import type { ActiveSession } from '../sessions.js';
import type { AuthorizationRequest } from './request.js';
import { admits } from './visibility.js';

export type Decision =
  | { next: 'login' }
  | { next: 'select_account'; active: ActiveSession }
  | { next: 'consent'; active: ActiveSession; context: ConsentContext }
  | { next: 'issue'; active: ActiveSession; grant: Grant; workspaceIds: string[] };

export interface ConsentContext {
  scopes: Scope[];
  needsWorkspace: boolean;
  workspaces: WorkspaceMembership[];
  previous: Grant | undefined;
}

export interface DecisionInput {
  request: AuthorizationRequest;
  client: Client;
  active: ActiveSession | undefined;
  /** Set when resuming a parked interaction: a sign-in after this time satisfies prompt=login and max_age. */
  interactionCreatedAt?: number;
  /** The user already chose this account in the interaction. */
  accountSelected?: boolean;
  /** The requested scopes' catalogue entries, when validation already read them. */
  scopes?: Scope[];
}

function needsLogin(deps: CoreDeps, input: DecisionInput): boolean {
  const { active, request, interactionCreatedAt } = input;
  if (!active) return true;
  const signedInDuringInteraction = interactionCreatedAt !== undefined && active.session.authTime >= interactionCreatedAt;
  if (request.prompt.includes('login') && !signedInDuringInteraction) return true;
  if (request.maxAge !== null && deps.now() - active.session.authTime > request.maxAge && !signedInDuringInteraction) return true;
  if (request.idTokenHintSubject !== null && request.idTokenHintSubject !== active.user.id) return true;
  return false;
}

/** Internal apps can be authorized only by members of the owning workspace (or the owning user). */
async function checkVisibility(deps: CoreDeps, client: Client, userId: string, memberships: WorkspaceMembership[]): Promise<void> {
  if (client.visibility !== 'internal') return;
  const allowed = admits(client, userId, memberships.some((membership) => membership.id === client.ownerWorkspaceId));
  if (!allowed) throw new OAuthError(errors.accessDenied.notAMember);
}

export async function decide(deps: CoreDeps, input: DecisionInput): Promise<Decision> {
  if (needsLogin(deps, input)) return { next: 'login' };
  const active = input.active!;
  const { request, client } = input;
  if (request.prompt.includes('select_account') && !input.accountSelected) return { next: 'select_account', active };

  const scopes = input.scopes ?? (await deps.stores.findScopes(request.scopes));
  const needsWorkspace = scopes.some((scope) => scope.requiresWorkspace);
  // The user's workspaces matter to an internal app, a workspace scope and the consent page only.
  const listWorkspaces = () => deps.stores.listWorkspacesForUser(active.user.id);
  let workspaces = client.visibility === 'internal' || needsWorkspace ? await listWorkspaces() : undefined;
  if (workspaces) await checkVisibility(deps, client, active.user.id, workspaces);
  const previous = await deps.stores.findGrant(active.user.id, client.id);

  const memberOf = new Set((workspaces ?? []).map((workspace) => workspace.id));
  const stillValidWorkspaces = previous ? previous.workspaceIds.filter((id) => memberOf.has(id)) : [];
  const covered =
    previous !== undefined &&
    previous.revokedAt === null &&
    request.scopes.every((scope) => previous.scopes.includes(scope)) &&
    (!needsWorkspace || stillValidWorkspaces.length > 0);

  if (covered && !request.prompt.includes('consent')) {
    return { next: 'issue', active, grant: previous, workspaceIds: needsWorkspace ? stillValidWorkspaces : [] };
  }
  workspaces ??= await listWorkspaces();
  return { next: 'consent', active, context: { scopes, needsWorkspace, workspaces, previous } };
}

/**
 * OpenID Connect Core §3.1.2.6: what prompt=none answers instead of showing a page. prompt=none
 * comes alone (check-prompt.ts), so a request with it never asks for account selection: only
 * sign-in or consent can be missing.
 */
export function silentFailure(decision: Decision & { next: 'login' | 'consent' }): OAuthError {
  return new OAuthError(decision.next === 'login' ? errors.loginRequired.signIn : errors.consentRequired.approve);
}
