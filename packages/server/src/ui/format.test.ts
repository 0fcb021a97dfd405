import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { redirectDestination, shellQuote } from './format.js';

describe('shellQuote', () => {
  const hostile = [
    "https://a.example/cb?x='$(touch /tmp/p)'",
    'plain',
    '',
    "'",
    "''",
    "it's",
    '$HOME `id` $(id) ${IFS}',
    'a;b|c&d>e<f',
    'back\\slash\\',
    '!history !!',
    '"double" and \'single\'',
    'new\nline\ttab',
    '*?[glob]~',
    '-n',
  ];

  it("wraps the value in single quotes and writes each ' as '\\''", () => {
    expect(shellQuote('abc')).toBe("'abc'");
    expect(shellQuote("it's")).toBe("'it'\\''s'");
    expect(shellQuote('')).toBe("''");
  });

  it('gives bash back exactly the value as one argument, running nothing', () => {
    const script = `printf '%s\\0' ${hostile.map(shellQuote).join(' ')}`;
    const output = execFileSync('bash', ['-c', script], { encoding: 'utf8' });
    expect(output.split('\0').slice(0, -1)).toEqual(hostile);
  });
});

describe('redirectDestination', () => {
  it('names the scheme a native app registers, the host (and port) of a web or loopback redirect', () => {
    expect(redirectDestination('com.example.app:/cb')).toEqual({ opens: 'com.example.app' });
    expect(redirectDestination('com.example.app://callback')).toEqual({ opens: 'com.example.app' });
    expect(redirectDestination('https://app.example.com/cb')).toEqual({ host: 'app.example.com' });
    expect(redirectDestination('https://app.example.com:8443/cb')).toEqual({ host: 'app.example.com:8443' });
    expect(redirectDestination('http://127.0.0.1:51234/callback')).toEqual({ host: '127.0.0.1:51234' });
    expect(redirectDestination('http://[::1]:8080/cb')).toEqual({ host: '[::1]:8080' });
    expect(redirectDestination(undefined)).toBeUndefined();
    expect(redirectDestination('not a url')).toBeUndefined();
  });
});
