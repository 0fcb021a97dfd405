/**
 * The last step of every authorization that succeeds, whether it needed no page or went through
 * the sign-in, account and consent pages: the code, bound to the request, the session and the
 * consent (for response_type=code), then the redirect to the client (RFC 6749 §4.1.2).
 */
import type { CoreDeps } from '../deps.js';
import type { Grant } from '../model.js';
import type { CookieInstruction, EndpointResult } from '../result.js';
import type { ActiveSession } from '../sessions.js';
import { issueCode } from './issue-code.js';
import type { AuthorizationRequest } from './request.js';
import { successRedirect } from './respond.js';

export async function finish(
  deps: CoreDeps,
  request: AuthorizationRequest,
  active: ActiveSession,
  grant: Grant,
  workspaceIds: string[],
  cookies?: CookieInstruction[],
): Promise<EndpointResult> {
  const code = request.responseType === 'code' ? await issueCode(deps, request, active, grant, workspaceIds) : null;
  return successRedirect(deps, request.redirectUri, request.state, code, cookies);
}
