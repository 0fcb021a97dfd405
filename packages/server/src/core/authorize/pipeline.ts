/**
 * The authorization request checks, in order. Until the client and redirect URI are trusted,
 * errors go to an error page (RFC 6749 §4.1.2.1); after that they are redirected to the client
 * with `state` and `iss` (RFC 9207).
 */
import type { CoreDeps } from '../deps.js';
import { errors } from '../error-catalogue.js';
import { OAuthError } from '../errors.js';
import type { Client, Scope } from '../model.js';
import type { Params } from '../params.js';
import { checkClient } from './check-client.js';
import { checkIdTokenHint } from './check-id-token-hint.js';
import { checkLengths, withinLimits } from './check-lengths.js';
import { checkMaxAge } from './check-max-age.js';
import { checkPkce } from './check-pkce.js';
import { checkPrompt } from './check-prompt.js';
import { checkRedirectUri } from './check-redirect-uri.js';
import { checkResource } from './check-resource.js';
import { checkResponseType } from './check-response-type.js';
import { checkScope } from './check-scope.js';
import type { AuthorizationRequest } from './request.js';

export type Validation =
  | { ok: true; client: Client; request: AuthorizationRequest; scopes: Scope[] }
  | { ok: false; showOnPage: true; error: OAuthError }
  | { ok: false; showOnPage: false; error: OAuthError; redirectUri: string; state: string | null };

export async function validateAuthorizationRequest(deps: CoreDeps, params: Params): Promise<Validation> {
  let client: Client;
  let redirectUri: string;
  try {
    client = await checkClient(deps, params);
    redirectUri = checkRedirectUri(client, params);
  } catch (error) {
    if (error instanceof OAuthError) return { ok: false, showOnPage: true, error };
    throw error;
  }
  // A state that is itself refused (repeated, a control character, too long) is not echoed back.
  const state = params.duplicates.includes('state') || !withinLimits(params, 'state') ? null : params.get('state') ?? null;
  try {
    params.rejectDuplicates();
    checkLengths(params);
    if (!client.grantTypes.includes('authorization_code')) {
      throw new OAuthError(errors.unauthorizedClient.codeFlowNotAllowed);
    }
    const responseType = checkResponseType(params);
    const { scopes, catalogue } = await checkScope(deps, client, params, responseType);
    const request: AuthorizationRequest = {
      clientId: client.id,
      redirectUri,
      redirectUriSent: params.has('redirect_uri'),
      responseType,
      scopes,
      state,
      nonce: params.get('nonce') ?? null,
      codeChallenge: checkPkce(params, responseType),
      prompt: checkPrompt(params),
      maxAge: checkMaxAge(params),
      loginHint: params.get('login_hint') ?? null,
      idTokenHintSubject: await checkIdTokenHint(deps, params),
      resource: checkResource(params),
    };
    return { ok: true, client, request, scopes: catalogue };
  } catch (error) {
    if (error instanceof OAuthError) return { ok: false, showOnPage: false, error, redirectUri, state };
    throw error;
  }
}
