import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { checksum } from './opaque.js';
import { openCode, sealCode, type SealedCode } from './sealed-code.js';
import { openAccessToken, sealAccessToken } from './sealed.js';

const key = randomBytes(32);
const contents: SealedCode = {
  clientId: 'client-1',
  userId: 'user-1',
  grantId: 'grant-1',
  redirectUri: 'https://app.example.com/callback?from=signin',
  codeChallenge: 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM',
  nonce: 'n-0S6_WzA2Mj',
  scopes: ['openid', 'profile', 'api:read'],
  workspaceIds: ['w1', 'w2'],
  resource: 'https://api.example.com/',
  authTime: 1_750_000_000,
  sessionId: 'sid-1',
  createdAt: 1_750_000_100,
  expiresAt: 1_750_000_160,
  redirectUriRequired: true,
};

describe('sealed authorization codes', () => {
  it('opens a code sealed before redirectUriRequired was recorded as not requiring redirect_uri', () => {
    const older = sealCode(key, 'gac_', { ...contents, redirectUriRequired: false });
    expect(openCode(key, 'gac_', older)?.redirectUriRequired).toBe(false);
    expect(openCode(key, 'gac_', sealCode(key, 'gac_', contents))?.redirectUriRequired).toBe(true);
  });

  it('opens what it sealed, every code different', () => {
    const one = sealCode(key, 'gac_', contents);
    const two = sealCode(key, 'gac_', contents);
    expect(one).toMatch(/^gac_[A-Za-z0-9_-]+$/);
    expect(one).not.toBe(two);
    expect(openCode(key, 'gac_', one)).toEqual(contents);
    const bare = sealCode(key, 'gac_', { ...contents, nonce: null, scopes: [], workspaceIds: [], resource: null, sessionId: null });
    expect(openCode(key, 'gac_', bare)).toMatchObject({ nonce: null, scopes: [], workspaceIds: [], resource: null, sessionId: null });
  });

  it('reveals nothing of its contents in the clear', () => {
    const decoded = Buffer.from(sealCode(key, 'gac_', contents).slice(4, -6), 'base64url').toString('latin1');
    for (const secret of ['client-1', 'app.example.com', contents.codeChallenge, contents.nonce!]) expect(decoded).not.toContain(secret);
  });

  it('stays short enough for a URL with the longest nonce the server accepts', () => {
    expect(sealCode(key, 'gac_', { ...contents, nonce: 'n'.repeat(512) }).length).toBeLessThan(1500);
  });

  it('refuses tampered codes, other keys and other prefixes', () => {
    const code = sealCode(key, 'gac_', contents);
    const head = code.slice(0, -6);
    const flipped = head.slice(0, 40) + (head[40] === 'A' ? 'B' : 'A') + head.slice(41);
    expect(openCode(key, 'gac_', flipped + checksum(flipped))).toBeUndefined();
    expect(openCode(randomBytes(32), 'gac_', code)).toBeUndefined();
    expect(openCode(key, 'gat_', code.replace(/^gac_/, 'gat_'))).toBeUndefined();
    expect(openCode(key, 'gac_', `gac_${'A'.repeat(60)}`)).toBeUndefined();
  });

  it('is never taken for an access token, nor an access token for a code, even under one prefix', () => {
    const code = sealCode(key, 'gx_', contents);
    const token = sealAccessToken(key, 'gx_', {
      clientId: 'client-1',
      userId: 'user-1',
      grantId: 'grant-1',
      familyId: 'family-1',
      scopes: ['openid'],
      workspaceIds: [],
      resource: null,
      authTime: 1,
      issuedAt: 2,
      expiresAt: 3,
    }).value;
    expect(openAccessToken(key, 'gx_', code)).toBeUndefined();
    expect(openCode(key, 'gx_', token)).toBeUndefined();
  });
});
