import { describe, expect, it } from 'vitest';
import { parseBearerChallenge, s256 } from './http.js';

describe('http helpers', () => {
  it('computes the RFC 7636 Appendix B S256 challenge', async () => {
    expect(await s256('dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk')).toBe('E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM');
  });

  it('parses the Bearer challenge of WWW-Authenticate', () => {
    expect(parseBearerChallenge('Bearer realm="api", error="invalid_token", error_description="The token \\"x\\" expired"')).toEqual({
      realm: 'api',
      error: 'invalid_token',
      error_description: 'The token "x" expired',
    });
    expect(parseBearerChallenge('Basic realm="x", Bearer error=invalid_token')).toEqual({ error: 'invalid_token' });
    expect(parseBearerChallenge('bearer')).toEqual({});
    expect(parseBearerChallenge('Basic realm="x"')).toBeUndefined();
    expect(parseBearerChallenge(null)).toBeUndefined();
  });
});
