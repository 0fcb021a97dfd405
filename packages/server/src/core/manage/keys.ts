/** Signing-key rotation as an administrator asks for it from the console. */
import type { CoreDeps } from '../deps.js';
import { ValidationError } from '../errors.js';
import { rotateSigningKeys } from '../keys/keyring.js';
import { signingAlgs, type SigningAlg } from '../model.js';

/**
 * Rotates the keys of one algorithm (next → current → retired, `keys/keyring.ts`) and reloads
 * this instance's key ring at once, so its next token is signed with the promoted key; other
 * instances pick it up at their next reload. An unknown algorithm is ValidationError('alg').
 */
export async function rotateKeys(deps: Pick<CoreDeps, 'stores' | 'config' | 'now' | 'keys'>, alg: string): Promise<{ kid: string; alg: SigningAlg }> {
  if (!(signingAlgs as readonly string[]).includes(alg)) throw ValidationError.named('alg', 'choose RS256 or ES256.');
  const now = deps.now();
  const rotated = await rotateSigningKeys(deps.stores, { alg: alg as SigningAlg, keySecret: deps.config.keySecret, now });
  await deps.keys.maybeReload(now, true);
  return rotated;
}
