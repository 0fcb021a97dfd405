/** Flagging a client as a resource server (administrators only: the console's admin page, the CLI). */
import { NotFoundError, ValidationError } from '../errors.js';
import type { Client } from '../model.js';
import type { Stores } from '../stores.js';
import type { ManageDeps } from './deps.js';

/**
 * Lets the client introspect access tokens issued to other clients, or stops it
 * (`core/tokens/may-introspect.ts`). A public client cannot be one: it has no secret, so anyone
 * could call in its name.
 */
export async function setResourceServer(deps: ManageDeps, clientId: string, on: boolean): Promise<Client> {
  const { stores } = deps;
  const client = await stores.findClient(clientId);
  if (!client) throw new NotFoundError('client', `client "${clientId}" not found`);
  if (on && client.tokenEndpointAuthMethod === 'none') {
    throw new ValidationError('resource_server', 'a public client (token_endpoint_auth_method none) cannot be a resource server: it has no secret to introspect with');
  }
  const updated = await stores.updateClient(clientId, { resourceServer: on });
  if (!updated) throw new NotFoundError('client', `client "${clientId}" not found`);
  return updated;
}
