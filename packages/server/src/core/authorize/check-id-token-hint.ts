/**
 * OpenID Connect Core §3.1.2.1: `id_token_hint` is an ID token this server issued (expired ones
 * are accepted); its subject must match the signed-in user for `prompt=none`.
 */
import { decodeProtectedHeader, jwtVerify } from 'jose';
import type { CoreDeps } from '../deps.js';
import { errors } from '../error-catalogue.js';
import { OAuthError } from '../errors.js';
import type { Params } from '../params.js';

export async function checkIdTokenHint(deps: CoreDeps, params: Params): Promise<string | null> {
  const hint = params.get('id_token_hint');
  if (hint === undefined) return null;
  try {
    const { kid } = decodeProtectedHeader(hint);
    const key = kid ? deps.keys.verifier(kid) : undefined;
    if (!key) throw new Error('unknown kid');
    const { payload } = await jwtVerify(hint, key.key, { issuer: deps.config.issuer, currentDate: new Date(0) });
    if (typeof payload.sub !== 'string') throw new Error('no sub');
    return payload.sub;
  } catch (error) {
    throw new OAuthError(errors.invalidRequest.idTokenHintInvalid, { detail: String(error) });
  }
}
