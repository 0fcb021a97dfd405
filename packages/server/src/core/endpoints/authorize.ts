/**
 * Authorization endpoint (RFC 6749 §3.1, §4.1.1; OpenID Connect Core §3.1.2).
 * GET and POST carry the same parameters.
 */
import { decide, silentFailure } from '../authorize/decide.js';
import { finish } from '../authorize/complete.js';
import { validateAuthorizationRequest } from '../authorize/pipeline.js';
import { errorRedirect } from '../authorize/respond.js';
import type { CoreDeps } from '../deps.js';
import { OAuthError } from '../errors.js';
import { interactionPath, parkInteraction } from '../authorize/interaction.js';
import type { Params } from '../params.js';
import { errorPage, type EndpointResult } from '../result.js';
import type { ActiveSession } from '../sessions.js';

export async function authorizeEndpoint(deps: CoreDeps, params: Params, active: ActiveSession | undefined): Promise<EndpointResult> {
  const validation = await validateAuthorizationRequest(deps, params);
  if (!validation.ok) {
    return validation.showOnPage
      ? errorPage(validation.error)
      : errorRedirect(deps, validation.redirectUri, validation.state, validation.error);
  }
  const { client, request, scopes } = validation;
  try {
    const decision = await decide(deps, { request, client, active, scopes });
    if (decision.next === 'issue') return await finish(deps, request, decision.active, decision.grant, decision.workspaceIds);
    if (request.prompt.includes('none') && decision.next !== 'select_account') throw silentFailure(decision);
    const id = await parkInteraction(deps, request);
    return { type: 'redirect', location: interactionPath(id) };
  } catch (error) {
    if (error instanceof OAuthError) return errorRedirect(deps, request.redirectUri, request.state, error);
    throw error;
  }
}
