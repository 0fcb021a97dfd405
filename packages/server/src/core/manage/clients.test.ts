import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDatabases } from '../../testing/databases.js';
import { defaultCoreConfig } from '../config.js';
import { NotFoundError, ValidationError } from '../errors.js';
import type { Stores } from '../stores.js';
import { isWellFormedOpaque, sha256 } from '../tokens/opaque.js';
import {
  deleteClient,
  generateClientId,
  registerClient,
  rotateClientSecret,
  toClientMetadata,
  toRegistrationResponse,
  updateClientSettings,
  validateClientMetadata,
  validateRedirectUri,
  type ClientMetadataInput,
} from './clients.js';
import { createScope } from './scopes.js';
import { createUser } from './users.js';
import { createWorkspace } from './workspaces.js';
import type { ManageDeps } from './deps.js';

const knownScopes = ['openid', 'profile', 'email', 'offline_access', 'project:read'];
const base = { client_name: 'App', redirect_uris: ['https://app.example.com/cb'] };
const fieldOf = (input: ClientMetadataInput): string => {
  try {
    validateClientMetadata(input, { knownScopes });
  } catch (error) {
    expect(error).toBeInstanceOf(ValidationError);
    const { field, message } = error as ValidationError;
    expect(message.startsWith(`${field}:`)).toBe(true);
    return field;
  }
  throw new Error('expected a ValidationError');
};

describe('validateClientMetadata', () => {
  it('applies defaults', () => {
    expect(validateClientMetadata(base, { knownScopes })).toEqual({
      name: 'App',
      description: null,
      homepageUrl: null,
      logoUrl: null,
      redirectUris: ['https://app.example.com/cb'],
      tokenEndpointAuthMethod: 'client_secret_post',
      grantTypes: ['authorization_code', 'refresh_token'],
      scopes: ['openid', 'profile', 'email'],
      visibility: 'unlisted',
      accessTokenTtl: null,
      refreshTokenTtl: null,
      idTokenSignedResponseAlg: 'RS256',
      accessTokenFormat: 'opaque',
    });
    expect(validateClientMetadata(base, { knownScopes: ['openid'] }).scopes).toEqual(['openid']);
  });

  it('accepts a full registration', () => {
    const result = validateClientMetadata(
      {
        client_name: ' Notebook ',
        client_uri: 'https://notebook.example.com',
        logo_uri: 'http://127.0.0.1:8080/logo.png',
        redirect_uris: ['https://notebook.example.com/cb', 'http://localhost:8080/cb', 'http://[::1]/cb', 'com.example.notebook:/oauth'],
        token_endpoint_auth_method: 'none',
        grant_types: ['authorization_code', 'refresh_token'],
        response_types: ['code'],
        scope: 'openid project:read  openid',
        visibility: 'public',
        access_token_ttl: 600,
        refresh_token_ttl: '86400',
        id_token_signed_response_alg: 'ES256',
        access_token_format: 'jwt',
      },
      { knownScopes },
    );
    expect(result).toMatchObject({
      name: 'Notebook',
      tokenEndpointAuthMethod: 'none',
      scopes: ['openid', 'project:read'],
      visibility: 'public',
      accessTokenTtl: 600,
      refreshTokenTtl: 86400,
      idTokenSignedResponseAlg: 'ES256',
      accessTokenFormat: 'jwt',
    });
  });

  it('allows client credentials clients without redirect URIs', () => {
    const result = validateClientMetadata({ client_name: 'Worker', grant_types: ['client_credentials'], scope: 'project:read' }, { knownScopes });
    expect(result.redirectUris).toEqual([]);
  });

  it.each<[ClientMetadataInput, string]>([
    [{ ...base, client_name: undefined }, 'client_name'],
    [{ ...base, client_name: '  ' }, 'client_name'],
    [{ ...base, client_name: 'n'.repeat(101) }, 'client_name'],
    [{ ...base, redirect_uris: ['http://example.com/cb'] }, 'redirect_uris'],
    [{ ...base, redirect_uris: ['javascript:alert(1)'] }, 'redirect_uris'],
    [{ ...base, redirect_uris: ['data:text/html,hi'] }, 'redirect_uris'],
    [{ ...base, redirect_uris: ['https://app.example.com/cb#frag'] }, 'redirect_uris'],
    [{ ...base, redirect_uris: ['https://app.example.com/cb#'] }, 'redirect_uris'],
    [{ ...base, redirect_uris: ['https://*.example.com/cb'] }, 'redirect_uris'],
    [{ ...base, redirect_uris: ['https://user:pw@app.example.com/cb'] }, 'redirect_uris'],
    [{ ...base, redirect_uris: ['/relative'] }, 'redirect_uris'],
    [{ ...base, redirect_uris: ['myapp:/cb'] }, 'redirect_uris'],
    [{ ...base, redirect_uris: ['https://a.example.com/cb', 'https://a.example.com/cb'] }, 'redirect_uris'],
    [{ ...base, redirect_uris: 'https://app.example.com/cb' }, 'redirect_uris'],
    [{ client_name: 'App' }, 'redirect_uris'],
    [{ ...base, redirect_uris: [] }, 'redirect_uris'],
    [{ ...base, token_endpoint_auth_method: 'private_key_jwt' }, 'token_endpoint_auth_method'],
    [{ ...base, token_endpoint_auth_method: 'none', grant_types: ['authorization_code', 'client_credentials'] }, 'grant_types'],
    [{ ...base, grant_types: ['implicit'] }, 'grant_types'],
    [{ ...base, grant_types: ['password'] }, 'grant_types'],
    [{ ...base, grant_types: [] }, 'grant_types'],
    [{ ...base, grant_types: ['refresh_token'] }, 'grant_types'],
    [{ ...base, response_types: ['token'] }, 'response_types'],
    [{ ...base, grant_types: ['client_credentials'], response_types: ['code'] }, 'response_types'],
    [{ ...base, scope: 'openid admin:all' }, 'scope'],
    [{ ...base, scope: 42 }, 'scope'],
    [{ ...base, visibility: 'secret' }, 'visibility'],
    [{ ...base, access_token_ttl: 0 }, 'access_token_ttl'],
    [{ ...base, access_token_ttl: 1.5 }, 'access_token_ttl'],
    [{ ...base, access_token_ttl: 7 * 86400 + 1 }, 'access_token_ttl'],
    [{ ...base, refresh_token_ttl: -1 }, 'refresh_token_ttl'],
    [{ ...base, refresh_token_ttl: 400 * 86400 + 1 }, 'refresh_token_ttl'],
    [{ ...base, id_token_signed_response_alg: 'HS256' }, 'id_token_signed_response_alg'],
    [{ ...base, id_token_signed_response_alg: 'none' }, 'id_token_signed_response_alg'],
    [{ ...base, access_token_format: 'paseto' }, 'access_token_format'],
    [{ ...base, client_uri: 'http://example.com' }, 'client_uri'],
    [{ ...base, client_uri: 'javascript:alert(1)' }, 'client_uri'],
    [{ ...base, logo_uri: 'not a url' }, 'logo_uri'],
  ])('rejects %j', (input, field) => expect(fieldOf(input)).toBe(field));

  it('follows RFC 8252 for native apps', () => {
    expect(validateRedirectUri('com.example.app:/oauth2redirect')).toBe('com.example.app:/oauth2redirect');
    expect(validateRedirectUri('http://127.0.0.1:51004/cb')).toBe('http://127.0.0.1:51004/cb');
    expect(() => validateRedirectUri('vbscript:msgbox')).toThrow(ValidationError);
    expect(() => validateRedirectUri('JavaScript:alert(1)')).toThrow(/forbidden scheme/);
  });

  it('generates 24-character lowercase alphanumeric client ids', () => {
    const ids = new Set(Array.from({ length: 100 }, generateClientId));
    expect(ids.size).toBe(100);
    for (const id of ids) expect(id).toMatch(/^[a-z0-9]{24}$/);
  });
});

for (const database of testDatabases()) {
  describe(`clients on ${database.name}`, () => {
    const config = defaultCoreConfig('http://localhost:3000');
    let stores: Stores;
    /** The services' dependencies, with the clock at `now` (default: the wall clock). */
    const deps = (now = Math.floor(Date.now() / 1000)): ManageDeps => ({ stores, config, now: () => now });
    let close: () => Promise<void>;
    beforeAll(async () => {
      const opened = await database.open();
      stores = opened.stores;
      close = opened.close;
      await createScope(deps(), { name: 'project:read', description: 'Read projects', requiresWorkspace: true });
    });
    afterAll(async () => close?.());

    it('registers a confidential client with a hashed secret', async () => {
      const { client, clientSecret } = await registerClient(deps(1000), { ...base, scope: 'openid project:read' });
      expect(client.id).toMatch(/^[a-z0-9]{24}$/);
      expect(clientSecret).toBeDefined();
      expect(isWellFormedOpaque(clientSecret!, 'gcs_')).toBe(true);
      const secrets = await stores.listActiveSecrets(client.id, 1000);
      expect(secrets).toHaveLength(1);
      expect(secrets[0]!.secretHash).toBe(sha256(clientSecret!));
      expect(secrets[0]!.displayPrefix).toBe(`${clientSecret!.slice(0, 8)}…`);
      expect(JSON.stringify(secrets)).not.toContain(clientSecret!);

      const metadata = toClientMetadata(client);
      expect(metadata).toMatchObject({
        client_id: client.id,
        client_name: 'App',
        redirect_uris: ['https://app.example.com/cb'],
        token_endpoint_auth_method: 'client_secret_post',
        grant_types: ['authorization_code', 'refresh_token'],
        response_types: ['code'],
        scope: 'openid project:read',
        visibility: 'unlisted',
        id_token_signed_response_alg: 'RS256',
        access_token_format: 'opaque',
      });
      expect(metadata).not.toHaveProperty('client_uri');
      expect(toRegistrationResponse(client, clientSecret)).toMatchObject({ client_secret: clientSecret, client_secret_expires_at: 0 });
    });

    it('registers public clients without a secret', async () => {
      const { client, clientSecret } = await registerClient(deps(), { ...base, token_endpoint_auth_method: 'none' });
      expect(clientSecret).toBeUndefined();
      expect(await stores.listActiveSecrets(client.id, Math.floor(Date.now() / 1000))).toEqual([]);
      expect(toRegistrationResponse(client)).not.toHaveProperty('client_secret');
      await expect(rotateClientSecret(deps(), client.id)).rejects.toMatchObject({ field: 'token_endpoint_auth_method' });
    });

    it('rejects unknown scopes and owners', async () => {
      await expect(registerClient(deps(), { ...base, scope: 'openid nope:read' })).rejects.toMatchObject({ field: 'scope' });
      await expect(registerClient(deps(), { ...base, ownerUserId: 'missing' })).rejects.toBeInstanceOf(NotFoundError);
      await expect(registerClient(deps(), { ...base, ownerWorkspaceId: 'missing' })).rejects.toBeInstanceOf(NotFoundError);
    });

    it('records owners', async () => {
      const user = await createUser(deps(), { username: 'client-owner', password: 'password123' });
      const workspace = await createWorkspace(deps(), { name: 'Client Team', ownerUserId: user.id });
      const { client } = await registerClient(deps(), { ...base, ownerUserId: user.id, ownerWorkspaceId: workspace.id });
      expect(client).toMatchObject({ ownerUserId: user.id, ownerWorkspaceId: workspace.id });
    });

    it('rotates secrets with and without grace', async () => {
      const { client, clientSecret: first } = await registerClient(deps(1000), base);
      const rotated = await rotateClientSecret(deps(2000), client.id, { graceSeconds: 300 });
      expect(rotated.clientSecret).not.toBe(first);
      expect(rotated.previousSecretsValidUntil).toBe(2300);
      const during = (await stores.listActiveSecrets(client.id, 2100)).map((s) => s.secretHash).sort();
      expect(during).toEqual([sha256(first!), sha256(rotated.clientSecret)].sort());
      const after = (await stores.listActiveSecrets(client.id, 2301)).map((s) => s.secretHash);
      expect(after).toEqual([sha256(rotated.clientSecret)]);

      const again = await rotateClientSecret(deps(3000), client.id);
      expect((await stores.listActiveSecrets(client.id, 3000)).map((s) => s.secretHash)).toEqual([sha256(again.clientSecret)]);

      await expect(rotateClientSecret(deps(), 'unknownclientid')).rejects.toBeInstanceOf(NotFoundError);
      await expect(rotateClientSecret(deps(), client.id, { graceSeconds: -1 })).rejects.toBeInstanceOf(ValidationError);
    });

    it('updates settings with full re-validation', async () => {
      const { client } = await registerClient(deps(), base);
      const updated = await updateClientSettings(deps(), client.id, {
        client_name: 'Renamed',
        redirect_uris: ['https://app.example.com/new'],
        access_token_ttl: 900,
        token_endpoint_auth_method: 'client_secret_basic',
      });
      expect(updated).toMatchObject({
        name: 'Renamed',
        redirectUris: ['https://app.example.com/new'],
        accessTokenTtl: 900,
        tokenEndpointAuthMethod: 'client_secret_basic',
        scopes: client.scopes,
      });
      await expect(updateClientSettings(deps(), client.id, { redirect_uris: ['http://evil.example.com'] })).rejects.toMatchObject({
        field: 'redirect_uris',
      });
      await expect(updateClientSettings(deps(), client.id, { token_endpoint_auth_method: 'none' })).rejects.toMatchObject({
        field: 'token_endpoint_auth_method',
      });
      const machine = await updateClientSettings(deps(), client.id, { grant_types: ['client_credentials'], redirect_uris: [] });
      expect(toClientMetadata(machine).response_types).toEqual([]);
      await expect(updateClientSettings(deps(), 'unknownclientid', {})).rejects.toBeInstanceOf(NotFoundError);
    });

    it('deletes clients', async () => {
      const { client } = await registerClient(deps(), base);
      await deleteClient(deps(1_700_000_000), client.id);
      expect(await stores.findClient(client.id)).toBeUndefined();
      await expect(deleteClient(deps(1_700_000_000), client.id)).rejects.toBeInstanceOf(NotFoundError);
    });
  });
}
