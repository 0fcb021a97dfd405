import { describe, expect, it } from 'vitest';
import { ValidationError } from '../errors.js';
import { validateClientIdUrl, validateClientMetadataDocument } from './metadata-document.js';

const URL_ = 'https://app.example.com/oauth/client.json';

/** The smallest valid document for URL_, with `fields` merged in (undefined removes one). */
function document(fields: Record<string, unknown> = {}): Record<string, unknown> {
  const base: Record<string, unknown> = { client_id: URL_, client_name: 'Example App', redirect_uris: ['https://app.example.com/callback'], ...fields };
  for (const [key, value] of Object.entries(fields)) if (value === undefined) delete base[key];
  return base;
}

/** The ValidationError thrown, so a test can check the field it names. */
function refusal(run: () => unknown): ValidationError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(ValidationError);
    return error as ValidationError;
  }
  throw new Error('expected a ValidationError');
}

const refused = (fields: Record<string, unknown>, url = URL_) => refusal(() => validateClientMetadataDocument(document(fields), url));

describe('validateClientIdUrl', () => {
  it.each([
    'https://app.example.com/oauth/client.json',
    'https://app.example.com:8443/client',
    'https://app.example.com/client?v=2',
    'https://app.example.com/',
  ])('accepts %s unchanged', (url) => {
    expect(validateClientIdUrl(url)).toBe(url);
  });

  it.each([
    ['http://app.example.com/client', 'must use https'],
    ['app.example.com/client', 'not an absolute URL'],
    ['https://app.example.com', 'must have a path'],
    ['https://app.example.com?x=1', 'must have a path'],
    ['https://user:pw@app.example.com/client', 'user information'],
    ['https://@app.example.com/client', 'user information'],
    ['https://app.example.com/a/../client', '"." or ".."'],
    ['https://app.example.com/./client', '"." or ".."'],
    ['https://app.example.com/a/%2E%2e/client', '"." or ".."'],
    ['https://app.example.com/client#top', 'fragment'],
    ['https://app.example.com/cli ent', 'whitespace'],
    ['https://app.example.com\\client', 'backslashes'],
    [`https://app.example.com/${'a'.repeat(2000)}`, 'at most 2000'],
    ['', 'non-empty string'],
  ])('refuses %s', (url, reason) => {
    const error = refusal(() => validateClientIdUrl(url));
    expect(error.field).toBe('client_id');
    expect(error.reason).toContain(reason);
  });
});

describe('validateClientMetadataDocument', () => {
  it('normalises a minimal document to a public code client named after it', () => {
    expect(validateClientMetadataDocument(document(), URL_)).toEqual({
      clientId: URL_,
      name: 'Example App',
      homepageUrl: null,
      logoUrl: null,
      redirectUris: ['https://app.example.com/callback'],
      tokenEndpointAuthMethod: 'none',
      grantTypes: ['authorization_code'],
      scopes: null,
      jwks: null,
      jwksUri: null,
    });
  });

  it('keeps the display fields, scopes and keys, and ignores fields it does not know', () => {
    const result = validateClientMetadataDocument(
      document({
        client_uri: 'https://app.example.com',
        logo_uri: 'https://app.example.com/logo.png',
        scope: 'openid profile  profile',
        token_endpoint_auth_method: 'private_key_jwt',
        jwks_uri: 'https://app.example.com/jwks.json',
        grant_types: ['authorization_code', 'refresh_token'],
        response_types: ['code'],
        software_id: 'ignored',
        tos_uri: 42,
      }),
      URL_,
    );
    expect(result).toMatchObject({
      homepageUrl: 'https://app.example.com',
      logoUrl: 'https://app.example.com/logo.png',
      scopes: ['openid', 'profile'],
      tokenEndpointAuthMethod: 'private_key_jwt',
      jwksUri: 'https://app.example.com/jwks.json',
      grantTypes: ['authorization_code', 'refresh_token'],
    });
    expect(result).not.toHaveProperty('software_id');
  });

  it('requires client_id to equal the URL exactly, without normalising either', () => {
    expect(refused({ client_id: 'https://app.example.com:443/oauth/client.json' }).field).toBe('client_id');
    expect(refused({ client_id: 'https://APP.example.com/oauth/client.json' }).field).toBe('client_id');
    expect(refused({ client_id: undefined }).field).toBe('client_id');
    expect(refusal(() => validateClientMetadataDocument(['not', 'an', 'object'], URL_)).reason).toContain('JSON object');
  });

  it('applies the URL rules to the URL it was fetched from', () => {
    const url = 'https://app.example.com/a/../client.json';
    expect(refusal(() => validateClientMetadataDocument(document({ client_id: url }), url)).reason).toContain('".."');
  });

  it('requires redirect_uris and checks each as the console does', () => {
    expect(refused({ redirect_uris: undefined }).field).toBe('redirect_uris');
    expect(refused({ redirect_uris: [] }).field).toBe('redirect_uris');
    expect(refused({ redirect_uris: 'https://app.example.com/callback' }).reason).toContain('array of strings');
    expect(refused({ redirect_uris: ['https://app.example.com/cb#frag'] }).reason).toContain('fragment');
    expect(refused({ redirect_uris: ['http://app.example.com/cb'] }).reason).toContain('must use https');
    expect(refused({ redirect_uris: ['javascript:alert(1)'] }).reason).toContain('forbidden scheme');
    expect(refused({ redirect_uris: ['https://app.example.com/cb', 'https://app.example.com/cb'] }).reason).toContain('listed twice');
    // The console's development exception holds: loopback http and private-use schemes for native apps.
    const native = validateClientMetadataDocument(document({ redirect_uris: ['http://127.0.0.1:3000/callback', 'com.example.app:/cb'] }), URL_);
    expect(native.redirectUris).toEqual(['http://127.0.0.1:3000/callback', 'com.example.app:/cb']);
  });

  it('allows only none and private_key_jwt, refusing the shared-secret methods by name', () => {
    for (const method of ['client_secret_basic', 'client_secret_post', 'client_secret_jwt']) {
      const error = refused({ token_endpoint_auth_method: method });
      expect(error.field).toBe('token_endpoint_auth_method');
      expect(error.reason).toContain('shared secret');
    }
    expect(refused({ token_endpoint_auth_method: 'tls_client_auth' }).reason).toContain('must be one of none, private_key_jwt');
    expect(refused({ client_secret: 'shh' }).field).toBe('client_secret');
    expect(refused({ client_secret_expires_at: 0 }).field).toBe('client_secret_expires_at');
  });

  it('needs the public keys for private_key_jwt, and never both jwks and jwks_uri', () => {
    expect(refused({ token_endpoint_auth_method: 'private_key_jwt' }).field).toBe('jwks_uri');
    const jwks = { keys: [{ kty: 'EC', crv: 'P-256', x: 'x', y: 'y' }] };
    expect(validateClientMetadataDocument(document({ token_endpoint_auth_method: 'private_key_jwt', jwks }), URL_).jwks).toEqual(jwks);
    expect(refused({ jwks, jwks_uri: 'https://app.example.com/jwks.json' }).field).toBe('jwks');
  });

  it('refuses private or symmetric key material and malformed key sets', () => {
    expect(refused({ jwks: { keys: [{ kty: 'EC', crv: 'P-256', x: 'x', y: 'y', d: 'secret' }] } }).reason).toContain('"d"');
    expect(refused({ jwks: { keys: [{ kty: 'oct', k: 'secret' }] } }).reason).toContain('"k"');
    expect(refused({ jwks: { keys: [] } }).field).toBe('jwks');
    expect(refused({ jwks: { keys: [{ use: 'sig' }] } }).reason).toContain('"kty"');
    expect(refused({ jwks: 'not a set' }).field).toBe('jwks');
  });

  it('requires https for the URLs the server links to or fetches', () => {
    expect(refused({ jwks_uri: 'http://app.example.com/jwks.json' }).field).toBe('jwks_uri');
    expect(refused({ jwks_uri: 'https://u:p@app.example.com/jwks.json' }).reason).toContain('user information');
    // The console allows http on loopback for development; a published document may not.
    expect(refused({ logo_uri: 'http://localhost/logo.png' }).field).toBe('logo_uri');
    expect(refused({ client_uri: 'http://127.0.0.1/' }).field).toBe('client_uri');
    expect(refused({ client_uri: 'ftp://app.example.com/' }).field).toBe('client_uri');
  });

  it('defaults grant_types to authorization_code and allows refresh_token with it', () => {
    expect(refused({ grant_types: ['refresh_token'] }).reason).toContain('requires authorization_code');
    expect(refused({ grant_types: [] }).field).toBe('grant_types');
    expect(refused({ grant_types: ['implicit'] }).reason).toContain('"implicit" is not supported');
    expect(refused({ grant_types: ['password'] }).field).toBe('grant_types');
    expect(validateClientMetadataDocument(document({ grant_types: ['authorization_code', 'authorization_code'] }), URL_).grantTypes).toEqual(['authorization_code']);
  });

  it('allows client_credentials only to a client that authenticates with its key', () => {
    expect(refused({ grant_types: ['client_credentials'] }).reason).toContain('private_key_jwt');
    const machine = validateClientMetadataDocument(
      document({ grant_types: ['client_credentials'], response_types: [], token_endpoint_auth_method: 'private_key_jwt', jwks_uri: 'https://app.example.com/jwks.json' }),
      URL_,
    );
    expect(machine.grantTypes).toEqual(['client_credentials']);
  });

  it('accepts only the code response type, and only together with the authorization_code grant', () => {
    expect(refused({ response_types: ['token'] }).reason).toContain('only "code"');
    expect(refused({ response_types: [] }).field).toBe('response_types');
    expect(
      refused({ grant_types: ['client_credentials'], response_types: ['code'], token_endpoint_auth_method: 'private_key_jwt', jwks_uri: 'https://app.example.com/jwks.json' }).field,
    ).toBe('response_types');
  });

  it('names the client after the URL host when client_name is missing, and checks a given one as the console does', () => {
    expect(validateClientMetadataDocument(document({ client_name: undefined }), URL_).name).toBe('app.example.com');
    expect(validateClientMetadataDocument(document({ client_name: '  ' }), URL_).name).toBe('app.example.com');
    expect(refused({ client_name: 7 }).reason).toBe('must be a string');
    expect(refused({ client_name: 'x'.repeat(101) }).reason).toContain('at most 100');
    expect(refused({ client_name: 'Evil\u001b[2J' }).reason).toContain('control characters');
  });

  it('reads scope as space-separated scope tokens', () => {
    expect(validateClientMetadataDocument(document({ scope: '' }), URL_).scopes).toEqual([]);
    expect(refused({ scope: ['openid'] }).field).toBe('scope');
    expect(refused({ scope: 'openid "quoted"' }).reason).toContain('RFC 6749 §3.3');
  });
});
