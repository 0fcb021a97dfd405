import { describe, expect, it } from 'vitest';
import { redirectDestination } from './format.js';

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
