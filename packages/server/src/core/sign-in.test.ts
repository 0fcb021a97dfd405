import { describe, expect, it } from 'vitest';
import { SignInThrottle } from './sign-in.js';

describe('sign-in throttle', () => {
  it('blocks an account after the limit of failures within the window, then opens again', () => {
    const throttle = new SignInThrottle(3, 60);
    for (let attempt = 0; attempt < 3; attempt++) {
      expect(throttle.blocked('ada', 100)).toBe(false);
      throttle.fail('ada', 100);
    }
    expect(throttle.blocked('ada', 100)).toBe(true);
    expect(throttle.blocked('grace', 100)).toBe(false);
    expect(throttle.blocked('ada', 161)).toBe(false);
  });

  it('forgets failures after a success', () => {
    const throttle = new SignInThrottle(2, 60);
    throttle.fail('ada', 100);
    throttle.succeed('ada');
    throttle.fail('ada', 101);
    expect(throttle.blocked('ada', 101)).toBe(false);
  });

  it('counts failures per window, not forever', () => {
    const throttle = new SignInThrottle(2, 60);
    throttle.fail('ada', 100);
    throttle.fail('ada', 200);
    expect(throttle.blocked('ada', 200)).toBe(false);
  });
});
