/** `gatehouse keys …`: signing keys. */
import { ValidationError, listSigningKeys, rotateSigningKeys, signingAlgs, type SigningAlg } from '@gatehouse/server';
import { now, str, iso, table, type Command } from '../framework.js';

export const keysCommands: Command[] = [
  {
    path: ['keys', 'list'],
    summary: 'List signing keys',
    usage: 'gatehouse keys list',
    async run(ctx) {
      return ctx.withKeys(async (stores) => {
        const keys = await listSigningKeys(stores);
        return {
          json: {
            keys: keys.map((k) => ({ kid: k.kid, alg: k.alg, state: k.state, created_at: k.createdAt, activated_at: k.activatedAt, retired_at: k.retiredAt })),
          },
          human: table(
            ['KID', 'ALG', 'STATE', 'CREATED', 'ACTIVATED', 'RETIRED'],
            keys.map((k) => [k.kid, k.alg, k.state, iso(k.createdAt), iso(k.activatedAt), iso(k.retiredAt)]),
          ),
        };
      });
    },
  },
  {
    path: ['keys', 'rotate'],
    summary: 'Rotate signing keys: next becomes current, current is retired',
    usage: 'gatehouse keys rotate [--alg ES256|RS256]',
    details: 'The pre-published next key takes over, so clients that cache the JWKS already know it. Default alg: RS256.',
    options: { alg: { type: 'string' } },
    async run(ctx) {
      const alg = str(ctx.values['alg']) ?? 'RS256';
      if (!(signingAlgs as readonly string[]).includes(alg)) {
        throw new ValidationError('alg', `alg: must be one of ${signingAlgs.join(', ')}`);
      }
      return ctx.withKeys(async (stores, config) => {
        const result = await rotateSigningKeys(stores, { alg: alg as SigningAlg, keySecret: config.core.keySecret, now: now() });
        return { json: { kid: result.kid, alg: result.alg }, human: `Rotated ${result.alg} signing keys; now signing with kid ${result.kid}` };
      });
    },
  },
];
