/**
 * Password hashing with Argon2id at the OWASP Password Storage Cheat Sheet baseline
 * (m = 19 MiB, t = 2, p = 1): memory-hard, so GPU guessing of a leaked database stays expensive.
 * https://cheatsheetseries.owasp.org/cheatsheets/Password_Storage_Cheat_Sheet.html#argon2id
 */
import { hash, parseOptions, verify, type Algorithm, type Options } from '@node-rs/argon2';
import { ValidationError } from '../errors.js';

/** `Algorithm.Argon2id`; the enum is `const` in the typings, which isolatedModules cannot inline. */
const ARGON2ID = 2 as Algorithm;

export const passwordHashOptions: Readonly<Options> = Object.freeze({
  algorithm: ARGON2ID,
  memoryCost: 19_456,
  timeCost: 2,
  parallelism: 1,
});

export const PASSWORD_MIN_LENGTH = 8;
/** An upper bound keeps a single sign-in from becoming a hashing denial of service. */
export const PASSWORD_MAX_LENGTH = 256;

/**
 * A hash of a random throwaway password with the same parameters, verified when the username is
 * unknown so that the response time does not reveal which usernames exist.
 */
export const DUMMY_PASSWORD_HASH =
  '$argon2id$v=19$m=19456,t=2,p=1$50hWWDLMxvO9Cer1qyNI8Q$FCFspd+2kzlNAMGtGVadpENSzKBGyGrrisVO/KJv7HY';

/**
 * Length is the only rule (NIST SP 800-63B §3.1.1.2: no composition rules). Length is counted in
 * code points so that non-Latin passwords are not penalised.
 */
export function checkPasswordPolicy(password: unknown, field = 'password'): string {
  if (typeof password !== 'string') throw ValidationError.named(field, `must be a string`);
  const length = [...password].length;
  if (length < PASSWORD_MIN_LENGTH) {
    throw ValidationError.named(field, `must be at least ${PASSWORD_MIN_LENGTH} characters`);
  }
  if (length > PASSWORD_MAX_LENGTH) {
    throw ValidationError.named(field, `must be at most ${PASSWORD_MAX_LENGTH} characters`);
  }
  return password;
}

export async function hashPassword(password: string): Promise<string> {
  return hash(password, passwordHashOptions);
}

/** False for a wrong password and for a malformed stored hash (never throws on bad input). */
export async function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
  try {
    return await verify(passwordHash, password);
  } catch {
    return false;
  }
}

/** True when a stored hash was made with weaker (or different) parameters than today's. */
export function needsRehash(passwordHash: string): boolean {
  try {
    const options = parseOptions(passwordHash);
    return (
      options.algorithm !== ARGON2ID ||
      options.memoryCost !== passwordHashOptions.memoryCost ||
      options.timeCost !== passwordHashOptions.timeCost ||
      options.parallelism !== passwordHashOptions.parallelism
    );
  } catch {
    return true;
  }
}
