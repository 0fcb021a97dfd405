import { describe, expect, it } from 'vitest';
import { normalizeResourceUri } from './normalize.js';

const uri = (value: string) => {
  const result = normalizeResourceUri(value);
  if (!result.ok) throw new Error(result.problem);
  return result.uri;
};

describe('normalizeResourceUri (RFC 8707 §2, RFC 3986 §6.2)', () => {
  it('lower-cases scheme and host, drops the default port and keeps the path as sent', () => {
    expect(uri('HTTPS://MCP.Example.COM:443/mcp')).toBe('https://mcp.example.com/mcp');
    expect(uri('http://localhost:80/api')).toBe('http://localhost/api');
    expect(uri('https://api.example.com:8443/v1/')).toBe('https://api.example.com:8443/v1/');
    expect(uri('https://api.example.com/MCP')).toBe('https://api.example.com/MCP');
  });

  it('gives an empty path as / and removes dot segments, so equivalent spellings compare equal', () => {
    expect(uri('https://api.example.com')).toBe(uri('https://api.example.com/'));
    expect(uri('https://api.example.com/a/./b/../mcp')).toBe('https://api.example.com/a/mcp');
    expect(uri('https://api.example.com/%7euser')).toBe('https://api.example.com/~user');
    expect(uri('https://api.example.com/a%2fb?q=%c3%a9')).toBe('https://api.example.com/a%2Fb?q=%C3%A9');
  });

  it('keeps a query, which RFC 8707 discourages but allows', () => {
    expect(uri('https://api.example.com/mcp?tenant=a')).toBe('https://api.example.com/mcp?tenant=a');
  });

  it('refuses fragments, relative references, other schemes and credentials', () => {
    expect(normalizeResourceUri('https://api.example.com/mcp#x')).toEqual({ ok: false, problem: 'fragment' });
    expect(normalizeResourceUri('https://api.example.com/mcp#')).toEqual({ ok: false, problem: 'fragment' });
    expect(normalizeResourceUri('/mcp')).toEqual({ ok: false, problem: 'not_absolute' });
    expect(normalizeResourceUri('urn:example:api')).toEqual({ ok: false, problem: 'scheme' });
    expect(normalizeResourceUri('https://user:pw@api.example.com/')).toEqual({ ok: false, problem: 'credentials' });
  });
});
