/**
 * The second half of authorization, the seam between the protocol engine and the pages: a
 * request that needs the user is parked as an interaction; the login, account and consent pages
 * resume it here, the same `decide` runs again after each step, and when it says `issue` the
 * interaction is consumed and `finish` (complete.ts) issues the code, as for a request that
 * needed no page.
 */
import type { CoreDeps } from '../deps.js';
import { errors } from '../error-catalogue.js';
import { OAuthError } from '../errors.js';
import { shouldIssueRefreshToken } from '../grants/issue-tokens.js';
import { saveConsent } from '../grants/save-consent.js';
import type { Client, Interaction } from '../model.js';
import { errorPage, type CookieInstruction, type EndpointResult, type PageModel } from '../result.js';
import { signInWithPassword } from '../sign-in.js';
import { createSession, endActiveSession, endSession, sessionSid, type ActiveSession } from '../sessions.js';
import { randomId, sha256 } from '../tokens/opaque.js';
import { OFFLINE_ACCESS } from './check-scope.js';
import { finish } from './complete.js';
import { decide, silentFailure, type Decision } from './decide.js';
import type { AuthorizationRequest } from './request.js';
import { errorRedirect } from './respond.js';

export const interactionPath = (id: string): string => `/interaction/${encodeURIComponent(id)}`;

interface Parked {
  interaction: Interaction;
  request: AuthorizationRequest;
  client: Client;
  accountSelected: boolean;
}

interface StoredRequest {
  request: AuthorizationRequest;
  accountSelected?: boolean;
}

export async function parkInteraction(deps: CoreDeps, request: AuthorizationRequest, accountSelected = false): Promise<string> {
  const now = deps.now();
  const id = randomId(24);
  const stored: StoredRequest = { request, accountSelected };
  await deps.stores.createInteraction({
    idHash: sha256(id),
    clientId: request.clientId,
    request: JSON.stringify(stored),
    createdAt: now,
    expiresAt: now + deps.config.lifetimes.interaction,
  });
  return id;
}

const expired = () =>
  new OAuthError(errors.invalidRequest.interactionExpired);

async function loadParked(deps: CoreDeps, id: string): Promise<Parked> {
  const interaction = id.length <= 64 ? await deps.stores.findInteraction(sha256(id), deps.now()) : undefined;
  if (!interaction) throw expired();
  const client = await deps.stores.findClient(interaction.clientId);
  if (!client) throw new OAuthError(errors.invalidClient.interactionClientGone);
  const stored = JSON.parse(interaction.request) as StoredRequest;
  return { interaction, request: stored.request, client, accountSelected: stored.accountSelected ?? false };
}

/**
 * Consumes the parked interaction, atomically (of two submits of the same form, one finds it
 * gone and gets the error page), then runs `then`.
 */
async function consumeThen(deps: CoreDeps, parked: Parked, then: () => Promise<EndpointResult>): Promise<EndpointResult> {
  if (!(await deps.stores.consumeInteraction(parked.interaction.idHash, deps.now()))) return errorPage(expired());
  return then();
}

/** A refusal once the client and redirect URI are trusted (access_denied and friends): the interaction ends and the client is told. */
async function redirectError(deps: CoreDeps, parked: Parked, error: unknown, cookies?: CookieInstruction[]): Promise<EndpointResult> {
  if (!(error instanceof OAuthError)) throw error;
  await deps.stores.consumeInteraction(parked.interaction.idHash, deps.now());
  return errorRedirect(deps, parked.request.redirectUri, parked.request.state, error, cookies);
}

/** Turns a decision into a response: a page, or the final redirect to the client. */
async function respond(deps: CoreDeps, id: string, parked: Parked, decision: Decision, cookies?: CookieInstruction[]): Promise<EndpointResult> {
  const { request, client } = parked;
  const show = (page: PageModel): EndpointResult => ({ type: 'page', status: 200, page, ...(cookies ? { cookies } : {}) });
  switch (decision.next) {
    case 'login':
      return show({ name: 'login', interactionId: id, clientName: client.name, ...(request.loginHint ? { username: request.loginHint } : {}) });
    case 'select_account':
      return show({ name: 'select-account', interactionId: id, clientName: client.name, user: { username: decision.active.user.username, name: decision.active.user.name } });
    case 'consent':
      return show(consentPage(id, parked, decision));
    case 'issue':
      return consumeThen(deps, parked, () => finish(deps, request, decision.active, decision.grant, decision.workspaceIds, cookies));
  }
}

function consentPage(id: string, { client, request }: Parked, decision: Extract<Decision, { next: 'consent' }>, error?: string): PageModel {
  const { context, active } = decision;
  const options = context.workspaces.map(({ id: workspaceId, name, slug }) => ({ id: workspaceId, name, slug }));
  const previous = context.previous?.revokedAt === null ? context.previous.workspaceIds.filter((wid) => options.some((o) => o.id === wid)) : [];
  const selected = previous.length > 0 ? previous : options.length === 1 ? [options[0]!.id] : [];
  // The consent covers the refresh token too (OIDC Core §11: the OP MUST obtain consent to
  // returning one), so the page says so whenever one will be issued; the line stands in for
  // offline_access in the list of scopes.
  const staysConnected = request.responseType === 'code' && shouldIssueRefreshToken(client);
  return {
    name: 'consent',
    interactionId: id,
    redirectUri: request.redirectUri,
    client: { id: client.id, name: client.name, logoUrl: client.logoUrl, homepageUrl: client.homepageUrl, verified: client.verified, description: client.description },
    user: { username: active.user.username, name: active.user.name },
    // In the order the app asked for them (openid first, as apps usually do).
    scopes: request.scopes
      .filter((name) => !(staysConnected && name === OFFLINE_ACCESS))
      .flatMap((name) => context.scopes.filter((scope) => scope.name === name))
      .map(({ name, description }) => ({ name, description })),
    workspaceChoice: { needed: context.needsWorkspace, multiple: true, options, selected },
    staysConnected,
    ...(error ? { error } : {}),
  };
}

/** The same decision as at the authorization endpoint, resumed: a sign-in during the interaction satisfies prompt=login and max_age. */
const decideFor = (deps: CoreDeps, parked: Parked, active: ActiveSession | undefined): Promise<Decision> =>
  decide(deps, { request: parked.request, client: parked.client, active, interactionCreatedAt: parked.interaction.createdAt, accountSelected: parked.accountSelected });

/** Runs the decision and answers it; access_denied and friends go back to the client. */
async function proceed(deps: CoreDeps, id: string, parked: Parked, active: ActiveSession | undefined, cookies?: CookieInstruction[]): Promise<EndpointResult> {
  try {
    return await respond(deps, id, parked, await decideFor(deps, parked, active), cookies);
  } catch (error) {
    return redirectError(deps, parked, error, cookies);
  }
}

/**
 * Loads the parked interaction and runs `step` on it. A missing or expired interaction (or one
 * whose app is gone) is shown on the error page; anything else is a bug and propagates.
 */
async function withParked(deps: CoreDeps, id: string, step: (parked: Parked) => Promise<EndpointResult>): Promise<EndpointResult> {
  let parked: Parked;
  try {
    parked = await loadParked(deps, id);
  } catch (error) {
    if (error instanceof OAuthError) return errorPage(error);
    throw error;
  }
  return step(parked);
}

export async function showInteraction(deps: CoreDeps, id: string, active: ActiveSession | undefined): Promise<EndpointResult> {
  return withParked(deps, id, (parked) => proceed(deps, id, parked, active));
}

/** "Not you?" on the consent page: offer to continue as the signed-in user or switch accounts. */
export async function showAccountChoice(deps: CoreDeps, id: string, active: ActiveSession | undefined): Promise<EndpointResult> {
  return withParked(deps, id, (parked) => (active ? respond(deps, id, parked, { next: 'select_account', active }) : proceed(deps, id, parked, active)));
}

export async function submitLogin(
  deps: CoreDeps,
  id: string,
  input: {
    username: string | undefined;
    password: string | undefined;
    address: string;
    /** The browser's current session cookie, if any: a successful sign-in ends that session. */
    previousSession?: string | undefined;
  },
): Promise<EndpointResult> {
  return withParked(deps, id, async (parked) => {
    const signedIn = await signInWithPassword(deps, input.username, input.password, input.address);
    if (!signedIn.ok) {
      return {
        type: 'page',
        status: 401,
        page: { name: 'login', interactionId: id, clientName: parked.client.name, error: signedIn.message, ...(input.username ? { username: input.username.slice(0, 100) } : {}) },
      };
    }
    const { user } = signedIn;
    // A new session id at every sign-in; the browser's previous session (perhaps another user's)
    // ends in the database, so a replayed copy of its cookie no longer signs anyone in.
    await endSession(deps, input.previousSession);
    const { cookieValue, session } = await createSession(deps, user.id);
    const active: ActiveSession = { session, user, sid: sessionSid(session) };
    const cookies: CookieInstruction[] = [{ name: 'session', value: cookieValue, maxAge: deps.config.lifetimes.session }];
    return proceed(deps, id, { ...parked, accountSelected: true }, active, cookies);
  });
}

export async function submitSelectAccount(deps: CoreDeps, id: string, choice: string | undefined, active: ActiveSession | undefined): Promise<EndpointResult> {
  return withParked(deps, id, (parked) => consumeThen(deps, parked, async () => {
    if (choice === 'switch' || !active) {
      // "Use another account" signs the current user out for real: the session row goes, not only the cookie.
      if (active) await endActiveSession(deps, active);
      // A fresh interaction that demands a sign-in, so a different account can be used.
      const prompt = [...parked.request.prompt.filter((value) => value !== 'select_account'), 'login' as const];
      const next = await parkInteraction(deps, { ...parked.request, prompt }, true);
      return { type: 'redirect', location: interactionPath(next), cookies: [{ name: 'session', value: undefined }] };
    }
    const next = await parkInteraction(deps, parked.request, true);
    return { type: 'redirect', location: interactionPath(next) };
  }));
}

export async function submitConsent(
  deps: CoreDeps,
  id: string,
  input: { decision: string | undefined; workspaceIds: string[] },
  active: ActiveSession | undefined,
): Promise<EndpointResult> {
  return withParked(deps, id, (parked) => consent(deps, id, parked, input, active));
}

async function consent(deps: CoreDeps, id: string, parked: Parked, input: { decision: string | undefined; workspaceIds: string[] }, active: ActiveSession | undefined): Promise<EndpointResult> {
  const { request } = parked;
  if (input.decision === 'deny') {
    return consumeThen(deps, parked, async () => errorRedirect(deps, request.redirectUri, request.state, new OAuthError(errors.accessDenied.userDenied)));
  }
  if (input.decision !== 'allow') return errorPage(new OAuthError(errors.invalidRequest.decisionInvalid));

  let decision: Decision;
  try {
    decision = await decideFor(deps, { ...parked, accountSelected: true }, active);
  } catch (error) {
    return redirectError(deps, parked, error);
  }
  if (decision.next !== 'consent' && decision.next !== 'issue') return respond(deps, id, parked, decision);
  const activeSession = decision.active;

  let workspaceIds: string[] = [];
  if (decision.next === 'consent' && decision.context.needsWorkspace) {
    const memberOf = new Set(decision.context.workspaces.map((workspace) => workspace.id));
    workspaceIds = [...new Set(input.workspaceIds)];
    const problem =
      decision.context.workspaces.length === 0
        ? 'You need to belong to a workspace to approve this app.'
        : workspaceIds.length === 0
          ? 'Choose at least one workspace.'
          : workspaceIds.some((wid) => !memberOf.has(wid))
            ? 'Choose among your own workspaces.'
            : undefined;
    if (problem) return { type: 'page', status: 400, page: consentPage(id, parked, decision, problem) };
  } else if (decision.next === 'issue') {
    workspaceIds = decision.workspaceIds;
  }

  const previous = decision.next === 'consent' ? decision.context.previous : decision.grant;
  return consumeThen(deps, parked, async () => {
    const liveScopes = previous && previous.revokedAt === null ? previous.scopes : [];
    const grant = await saveConsent(deps, {
      previous,
      userId: activeSession.user.id,
      clientId: parked.client.id,
      scopes: [...new Set([...liveScopes, ...request.scopes])],
      workspaceIds: workspaceIds.length > 0 ? workspaceIds : previous?.revokedAt === null ? previous.workspaceIds : [],
    });
    return finish(deps, request, activeSession, grant, workspaceIds);
  });
}

export { silentFailure };
