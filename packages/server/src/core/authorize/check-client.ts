/** RFC 6749 §4.1.2.1: a missing or unknown client is shown on an error page, never redirected. */
import type { CoreDeps } from '../deps.js';
import { errors } from '../error-catalogue.js';
import { OAuthError } from '../errors.js';
import type { Client } from '../model.js';
import { controlCharacterError, type Params } from '../params.js';

export async function checkClient(deps: CoreDeps, params: Params): Promise<Client> {
  if (params.duplicates.includes('client_id')) throw new OAuthError(errors.invalidRequest.duplicateParameter('client_id'));
  const clientId = params.get('client_id');
  if (!clientId) throw new OAuthError(errors.invalidRequest.missingParameter('client_id'));
  if (params.hasControlCharacters('client_id')) throw controlCharacterError('client_id');
  const client = clientId.length <= 200 ? await deps.stores.findClient(clientId) : undefined;
  if (!client) throw new OAuthError(errors.invalidClient.unknownClient, { detail: clientId.slice(0, 200) });
  return client;
}
