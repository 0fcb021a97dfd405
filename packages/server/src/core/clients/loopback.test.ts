import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../config/index.js';
import { redirectUriMatches } from '../authorize/check-redirect-uri.js';
import { validateClientMetadata, validateRedirectUri } from '../manage/clients.js';
import { isLoopback, LOOPBACK_HOSTS, LOOPBACK_HOSTS_TEXT, LOOPBACK_IP_LITERALS, withoutFreePort } from './loopback.js';

const NOT_LOOPBACK = ['127.0.0.2', '10.0.0.1', 'localhost.example.com', 'example.com', '[::2]'];

describe('loopback hosts', () => {
  it('are the two IP literals and localhost, as the URL parser normalises them', () => {
    expect(LOOPBACK_HOSTS).toEqual(['localhost', '127.0.0.1', '[::1]']);
    expect(LOOPBACK_HOSTS_TEXT).toBe('localhost, 127.0.0.1 and [::1]');
    for (const host of LOOPBACK_HOSTS) expect(isLoopback(new URL(`http://${host}:8080/cb`)), host).toBe(true);
    for (const spelled of ['http://127.1/cb', 'http://[0:0:0:0:0:0:0:1]/cb', 'http://LOCALHOST/cb']) expect(isLoopback(new URL(spelled)), spelled).toBe(true);
    for (const host of NOT_LOOPBACK) expect(isLoopback(new URL(`http://${host}/cb`)), host).toBe(false);
  });

  it('free the port of http redirect URIs on every loopback host', () => {
    for (const host of LOOPBACK_HOSTS) expect(withoutFreePort(`http://${host}:51004/cb?x=1`)).toBe(`http://${host}/cb?x=1`);
    expect(withoutFreePort('http://localhost.example.com:51004/cb')).toBeUndefined();
    expect(withoutFreePort('https://127.0.0.1:8443/cb')).toBeUndefined();
    expect(withoutFreePort('com.example.app:/cb')).toBeUndefined();
    expect(withoutFreePort('not a uri')).toBeUndefined();
  });
});

/** Each place that reads the rule: registration and the issuer allow http on every loopback host; the redirect check frees the port on each of them. */
describe('the loopback rule where it is read', () => {
  it('lets registration use http on every loopback host, for redirect URIs and web URLs, and nowhere else', () => {
    for (const host of LOOPBACK_HOSTS) {
      expect(validateRedirectUri(`http://${host}:8080/cb`)).toBe(`http://${host}:8080/cb`);
      const metadata = validateClientMetadata({ client_name: 'App', redirect_uris: [`http://${host}/cb`], client_uri: `http://${host}:3000`, logo_uri: `http://${host}/logo.png` }, { knownScopes: [] });
      expect(metadata.homepageUrl).toBe(`http://${host}:3000`);
    }
    for (const host of NOT_LOOPBACK) {
      expect(() => validateRedirectUri(`http://${host}/cb`)).toThrow(`redirect_uris: "http://${host}/cb" must use https (http is only allowed for localhost, 127.0.0.1 and [::1])`);
      expect(() => validateClientMetadata({ client_name: 'App', grant_types: ['client_credentials'], client_uri: `http://${host}` }, { knownScopes: [] })).toThrow(
        `client_uri: "http://${host}" must use https (http only for localhost, 127.0.0.1 and [::1])`,
      );
    }
  });

  it('lets the issuer use http on every loopback host, and nowhere else', () => {
    for (const host of LOOPBACK_HOSTS) expect(loadConfig({ env: { GATEHOUSE_ISSUER: `http://${host}:3000` } }).core.issuer).toBe(`http://${host}:3000`);
    for (const host of NOT_LOOPBACK) {
      expect(() => loadConfig({ env: { GATEHOUSE_ISSUER: `http://${host}:3000` } })).toThrow('must use https (http only for localhost, 127.0.0.1 and [::1])');
    }
  });

  it('matches a registered loopback redirect URI on any port, the same host, path and query only', () => {
    for (const host of LOOPBACK_HOSTS) {
      expect(redirectUriMatches(`http://${host}/cb`, `http://${host}:51004/cb`)).toBe(true);
      expect(redirectUriMatches(`http://${host}:8080/cb`, `http://${host}:9090/cb`)).toBe(true);
      expect(redirectUriMatches(`http://${host}:8080/cb`, `http://${host}:9090/other`)).toBe(false);
      expect(redirectUriMatches(`http://${host}/cb?a=1`, `http://${host}:9090/cb?a=2`)).toBe(false);
      expect(redirectUriMatches(`http://${host}/cb`, `http://${host}:9090/cb/`)).toBe(false);
      expect(redirectUriMatches(`https://${host}:8443/cb`, `https://${host}:9443/cb`)).toBe(false);
    }
    expect(redirectUriMatches('http://localhost/callback', 'http://localhost:61234/callback')).toBe(true);
    expect(redirectUriMatches('http://localhost/cb', 'http://localhost.example.com:80/cb')).toBe(false);
    expect(redirectUriMatches('https://localhost/cb', 'https://localhost:8443/cb')).toBe(false);
    expect(redirectUriMatches('http://localhost/cb', 'http://[::1]/cb')).toBe(false);
    expect(redirectUriMatches('http://localhost/cb', 'http://127.0.0.1/cb')).toBe(false);
    expect(redirectUriMatches('http://127.0.0.1/cb', 'http://[::1]/cb')).toBe(false);
  });
});
