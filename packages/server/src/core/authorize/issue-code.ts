/**
 * Authorization codes: 60 s by default, single use, bound to everything the token request must
 * match (RFC 6749 §4.1.2, RFC 7636 §4.4). Sealed (tokens/sealed-code.ts): issuing one writes nothing.
 */
import type { CoreDeps } from '../deps.js';
import type { Grant } from '../model.js';
import { noteGrantUse } from '../grants/note-use.js';
import type { ActiveSession } from '../sessions.js';
import { sealCode } from '../tokens/sealed-code.js';
import type { AuthorizationRequest } from './request.js';

export async function issueCode(
  deps: CoreDeps,
  request: AuthorizationRequest,
  active: ActiveSession,
  grant: Grant,
  workspaceIds: string[],
): Promise<string> {
  const now = deps.now();
  const code = sealCode(deps.keys.sealingKey(), deps.config.prefixes.authorizationCode, {
    clientId: request.clientId,
    userId: active.user.id,
    grantId: grant.id,
    redirectUri: request.redirectUri,
    redirectUriRequired: request.redirectUriSent ?? false,
    codeChallenge: request.codeChallenge ?? '',
    nonce: request.nonce,
    scopes: request.scopes,
    workspaceIds,
    resource: request.resource,
    authTime: active.session.authTime,
    sessionId: active.sid,
    createdAt: now,
    expiresAt: now + deps.config.lifetimes.authorizationCode,
  });
  await noteGrantUse(deps, grant, now);
  return code;
}
