import { describe, expect, it } from 'vitest';
import { validateClientMetadata } from '../manage/clients.js';
import {
  authMethodsAccepted,
  clientAuthMethods,
  DEFAULT_AUTH_METHOD,
  INTROSPECTION_CLIENT_AUTH,
  isConfidential,
  RECOMMENDED_AUTH_METHOD,
  REVOCATION_CLIENT_AUTH,
  tokenEndpointAuthMethods,
} from './methods.js';

describe('the client authentication methods', () => {
  it('lists each method once, with a description, and only none is public', () => {
    expect(tokenEndpointAuthMethods).toEqual(['client_secret_post', 'client_secret_basic', 'none']);
    for (const method of clientAuthMethods) expect(method.description, method.name).toMatch(/^[A-Z].+\.$/);
    expect(tokenEndpointAuthMethods.filter((method) => !isConfidential(method))).toEqual(['none']);
  });

  it('gives a registration without a method the default, and the console a confidential recommendation', () => {
    const metadata = validateClientMetadata({ client_name: 'App', redirect_uris: ['https://app.example/cb'] }, { knownScopes: ['openid'] });
    expect(metadata.tokenEndpointAuthMethod).toBe(DEFAULT_AUTH_METHOD);
    expect(DEFAULT_AUTH_METHOD).toBe('client_secret_post');
    expect(RECOMMENDED_AUTH_METHOD).toBe('client_secret_basic');
    expect(isConfidential(RECOMMENDED_AUTH_METHOD)).toBe(true);
  });

  it('names the methods an endpoint accepts from its rules', () => {
    expect(authMethodsAccepted(INTROSPECTION_CLIENT_AUTH)).toEqual(['client_secret_post', 'client_secret_basic']);
    expect(authMethodsAccepted(REVOCATION_CLIENT_AUTH)).toEqual(tokenEndpointAuthMethods);
    expect(authMethodsAccepted({ allowPublic: false, optional: true })).not.toContain('none');
  });
});
