import { describe, expect, it } from 'vitest';
import { promptValues } from '../authorize/check-prompt.js';
import { tokenEndpointAuthMethods } from '../client-auth/methods.js';
import type { CoreDeps } from '../deps.js';
import { discoveryDocument } from '../endpoints/discovery.js';
import { ValidationError } from '../errors.js';
import { toClientMetadata, validateClientMetadata } from '../manage/clients.js';
import type { Client } from '../model.js';
import { authorizationCodeGrant } from './authorization-code.js';
import { clientCredentialsGrant } from './client-credentials.js';
import { refreshTokenGrant } from './refresh-token.js';
import { defaultGrantTypes, grantHandlerFor, grantRegistry, grantTypes, isGrantType } from './registry.js';

const knownScopes = ['openid', 'profile', 'email'];
const register = (grants: readonly string[], authMethod = 'client_secret_basic', extra: Record<string, unknown> = {}) =>
  validateClientMetadata({ client_name: 'App', redirect_uris: ['https://app.example/cb'], token_endpoint_auth_method: authMethod, grant_types: [...grants], ...extra }, { knownScopes });
const refusal = (run: () => unknown): ValidationError => {
  try {
    run();
  } catch (error) {
    if (error instanceof ValidationError) return error;
    throw error;
  }
  throw new Error('expected a ValidationError');
};
/** A grant with the grants it needs, so only the rule under test can refuse it. */
const withRequirements = (grant: string): string[] => [...(grantHandlerFor(grant)!.requiresGrantTypes ?? []), grant];

describe('the grant registry', () => {
  it('lists each grant module once, by its grant_type, in discovery order', () => {
    expect(grantRegistry).toEqual([authorizationCodeGrant, refreshTokenGrant, clientCredentialsGrant]);
    expect(grantTypes).toEqual(['authorization_code', 'refresh_token', 'client_credentials']);
    expect(new Set(grantTypes).size).toBe(grantTypes.length);
    for (const handler of grantRegistry) expect(grantHandlerFor(handler.grantType)).toBe(handler);
    for (const unknown of ['password', 'implicit', 'urn:ietf:params:oauth:grant-type:device_code', '']) {
      expect(grantHandlerFor(unknown)).toBeUndefined();
      expect(isGrantType(unknown)).toBe(false);
    }
  });

  it('gives every grant a console description and requirements that are themselves registered', () => {
    for (const handler of grantRegistry) {
      expect(handler.description, handler.grantType).toMatch(/^[A-Z].+\.$/);
      for (const needed of handler.requiresGrantTypes ?? []) expect(isGrantType(needed), `${handler.grantType} needs ${needed}`).toBe(true);
    }
    for (const grant of defaultGrantTypes) expect(isGrantType(grant)).toBe(true);
    expect(register(defaultGrantTypes).grantTypes).toEqual(defaultGrantTypes);
  });

  it('refuses a grant to a public client exactly when its entry does not admit public clients', () => {
    for (const handler of grantRegistry) {
      const grants = withRequirements(handler.grantType);
      if (handler.allowsPublicClients) {
        expect(register(grants, 'none').grantTypes).toEqual(grants);
      } else {
        const error = refusal(() => register(grants, 'none'));
        expect(error.field).toBe('grant_types');
        expect(error.message).toBe(`grant_types: ${handler.grantType} needs a confidential client (token_endpoint_auth_method other than none)`);
        expect(register(grants, 'client_secret_basic').grantTypes).toEqual(grants);
      }
    }
  });

  it('refuses a grant without the grants its entry requires', () => {
    const requiring = grantRegistry.filter((handler) => (handler.requiresGrantTypes ?? []).length > 0);
    expect(requiring.map((handler) => handler.grantType)).toEqual(['refresh_token']);
    for (const handler of requiring) {
      const error = refusal(() => register([handler.grantType]));
      expect(error.message).toBe(`grant_types: ${handler.grantType} requires ${handler.requiresGrantTypes!.join(' and ')}`);
    }
  });

  it("ties each front-channel grant to its response_type and a redirect URI", () => {
    for (const handler of grantRegistry) {
      const grants = withRequirements(handler.grantType);
      const client = { ...register(grants), id: 'c', createdAt: 0 } as unknown as Client;
      const responseTypes = grants.flatMap((grant) => grantHandlerFor(grant)!.responseType ?? []);
      expect(toClientMetadata(client).response_types, handler.grantType).toEqual(responseTypes);
      if (handler.responseType === undefined) continue;
      expect(refusal(() => register(grants, 'client_secret_basic', { redirect_uris: [] })).message).toBe(
        `redirect_uris: at least one is required for the ${handler.grantType} grant`,
      );
      expect(refusal(() => register(grants, 'client_secret_basic', { response_types: [] })).message).toBe(
        `response_types: "${handler.responseType}" must be listed exactly when grant_types includes ${handler.grantType}`,
      );
    }
  });
});

describe('discovery reads the registries', () => {
  it('advertises the registered grant types, prompt values and client authentication methods', async () => {
    const deps = { config: { issuer: 'https://id.example' }, stores: { listScopes: async () => [] } } as unknown as CoreDeps;
    const document = await discoveryDocument(deps);
    expect(document['grant_types_supported']).toEqual(grantTypes);
    expect(document['prompt_values_supported']).toEqual(promptValues);
    expect(document['token_endpoint_auth_methods_supported']).toEqual(tokenEndpointAuthMethods);
    expect(document['revocation_endpoint_auth_methods_supported']).toEqual(tokenEndpointAuthMethods);
    expect(document['introspection_endpoint_auth_methods_supported']).toEqual(tokenEndpointAuthMethods.filter((method) => method !== 'none'));
  });
});
