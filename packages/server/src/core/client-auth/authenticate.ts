/**
 * Client authentication at the token, introspection, revocation and resources endpoints
 * (RFC 6749 §2.3, §3.2.1; RFC 7591 §2 `token_endpoint_auth_method`).
 */
import type { CoreDeps } from '../deps.js';
import { errors } from '../error-catalogue.js';
import { OAuthError } from '../errors.js';
import type { Client } from '../model.js';
import type { Params } from '../params.js';
import { isWellFormedOpaque, safeEqual, sha256 } from '../tokens/opaque.js';
import { isConfidential, type EndpointClientAuth } from './methods.js';
import { basicChallenge, presentedCredentials, type PresentedCredentials } from './presented.js';

export interface AuthenticatedClient {
  client: Client;
  method: PresentedCredentials['method'];
}

function failure(presented: PresentedCredentials | undefined, realm: string, detail: string): OAuthError {
  const challenge = presented?.method === 'client_secret_basic' ? basicChallenge(realm) : {};
  return new OAuthError(errors.invalidClient.authenticationFailed, { ...challenge, detail });
}

async function secretMatches(deps: CoreDeps, client: Client, secret: string): Promise<boolean> {
  // Malformed secrets are rejected without touching the database.
  if (!isWellFormedOpaque(secret, deps.config.prefixes.clientSecret)) return false;
  const presentedHash = sha256(secret);
  const secrets = await deps.stores.listActiveSecrets(client.id, deps.now());
  let matched = false;
  for (const stored of secrets) matched = safeEqual(stored.secretHash, presentedHash) || matched;
  return matched;
}

/**
 * Authenticates the client, or returns undefined when the request identifies no client and
 * `optional` is set (revocation without client authentication).
 */
export async function authenticateClient(
  deps: CoreDeps,
  authorization: string | undefined,
  params: Params,
  options: EndpointClientAuth,
): Promise<AuthenticatedClient | undefined> {
  const presented = presentedCredentials(authorization, params, deps.config.issuer);
  if (!presented) {
    if (options.optional) return undefined;
    throw failure(presented, deps.config.issuer, 'no client credentials presented');
  }
  const client = await deps.stores.findClient(presented.clientId);
  if (!client) throw failure(presented, deps.config.issuer, `unknown client ${presented.clientId}`);
  if (client.tokenEndpointAuthMethod !== presented.method) {
    throw failure(presented, deps.config.issuer, `client registered ${client.tokenEndpointAuthMethod} but used ${presented.method}`);
  }
  if (!isConfidential(presented.method)) {
    if (!options.allowPublic) throw failure(presented, deps.config.issuer, 'public clients cannot use this endpoint');
    return { client, method: presented.method };
  }
  if (!(await secretMatches(deps, client, presented.clientSecret ?? ''))) {
    throw failure(presented, deps.config.issuer, 'client secret does not match');
  }
  return { client, method: presented.method };
}
