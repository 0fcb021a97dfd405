import { describe, expect, it } from 'vitest';
import { validateRedirectUri } from './manage/clients.js';
import { ConflictError, ValidationError } from './errors.js';

describe('field errors', () => {
  it('carry the field and the reason apart; the message names the field only when made with named', () => {
    const named = ValidationError.named('email', 'is required');
    expect(named).toMatchObject({ field: 'email', reason: 'is required', message: 'email: is required' });
    const plain = new ConflictError('username', 'username is taken');
    expect(plain).toMatchObject({ field: 'username', reason: 'username is taken', message: 'username is taken' });
  });

  it('are what the services throw: the console shows the reason, the CLI the message', () => {
    let thrown: unknown;
    try {
      validateRedirectUri('not a uri');
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(ValidationError);
    const error = thrown as ValidationError;
    expect(error.field).toBe('redirect_uris');
    expect(error.message).toBe(`redirect_uris: ${error.reason}`);
    expect(error.reason).not.toMatch(/^redirect_uris/);
  });
});
