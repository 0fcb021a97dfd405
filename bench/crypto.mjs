#!/usr/bin/env node
/**
 * Two crypto helpers against Node's own, in the same run, to decide whether a hand-written one
 * earns its place:
 *
 *   - random bytes for tokens and ids: core/tokens/opaque.ts's pool (4 KiB refilled with
 *     randomFillSync), as built in packages/server/dist, against crypto.randomBytes; two to four
 *     calls per issued token. The server keeps the pool: see docs/performance.md.
 *   - key derivation for seal() (core/crypto/seal.ts): HKDF-SHA-256 written as two HMACs (kept
 *     here as it was) against hkdfSync (RFC 5869), which the server now uses; one derivation per
 *     refresh rotation.
 *
 *   npx tsc -b packages/server && node bench/crypto.mjs [--rounds=N] [--iterations=N]
 *
 * Each round times every variant one after the other, alternating which goes first, so a slow
 * minute of a shared machine hits both alike; the report is the median over rounds of ns per
 * call and the ratio custom / Node.
 */
import { createHmac, hkdfSync, randomBytes } from 'node:crypto';
import { randomBytes as pooledRandomBytes } from '../packages/server/dist/core/tokens/opaque.js';

const option = (name, fallback) => {
  const hit = process.argv.slice(2).find((a) => a.startsWith(`--${name}=`));
  return hit ? Number(hit.slice(name.length + 3)) : fallback;
};
const rounds = Math.max(1, option('rounds', 7));
const iterations = Math.max(1, option('iterations', 200_000));

// The two-HMAC HKDF the server used before hkdfSync (RFC 5869 §2.2–2.3 for a one-block key).
const SALT = 'gatehouse';
const FIRST_BLOCK = Buffer.of(1);
function customDeriveKey(secret, purpose) {
  const prk = createHmac('sha256', SALT).update(secret).digest();
  return createHmac('sha256', prk).update(purpose).update(FIRST_BLOCK).digest();
}
const nodeDeriveKey = (secret, purpose) => Buffer.from(hkdfSync('sha256', secret, SALT, purpose, 32));

const secret = 'grt_' + randomBytes(32).toString('base64url') + 'abcdef';
const PAIRS = [
  { name: 'deriveKey (32-byte key)', custom: () => customDeriveKey(secret, 'refresh-successor'), node: () => nodeDeriveKey(secret, 'refresh-successor') },
  { name: 'random bytes, 16 (sealed token salt)', custom: () => pooledRandomBytes(16), node: () => randomBytes(16) },
  { name: 'random bytes, 32 (opaque token body)', custom: () => pooledRandomBytes(32), node: () => randomBytes(32) },
];

if (!customDeriveKey(secret, 'p').equals(nodeDeriveKey(secret, 'p'))) throw new Error('the two key derivations disagree');

let sink = 0;
/** Nanoseconds per call of `fn` over `count` calls. */
function time(fn, count) {
  const start = process.hrtime.bigint();
  for (let i = 0; i < count; i++) sink ^= fn()[0];
  return Number(process.hrtime.bigint() - start) / count;
}
const median = (values) => [...values].sort((a, b) => a - b)[Math.floor((values.length - 1) / 2)];

for (const pair of PAIRS) {
  time(pair.custom, iterations / 4);
  time(pair.node, iterations / 4);
}
const samples = PAIRS.map(() => ({ custom: [], node: [] }));
for (let round = 0; round < rounds; round++) {
  PAIRS.forEach((pair, i) => {
    // Alternate which one goes first, so neither always runs on a warmer cache.
    const order = round % 2 ? ['node', 'custom'] : ['custom', 'node'];
    for (const side of order) samples[i][side].push(time(pair[side], iterations));
  });
}

console.log(`Crypto helpers, custom vs Node ${process.version}: median of ${rounds} rounds of ${iterations} calls`);
console.log(`${'operation'.padEnd(38)} ${'custom'.padStart(10)} ${'Node'.padStart(10)} ${'custom/Node'.padStart(12)} ${'saved'.padStart(10)}`);
for (const [i, pair] of PAIRS.entries()) {
  const custom = median(samples[i].custom);
  const node = median(samples[i].node);
  console.log(`${pair.name.padEnd(38)} ${`${custom.toFixed(0)} ns`.padStart(10)} ${`${node.toFixed(0)} ns`.padStart(10)} ${(custom / node).toFixed(2).padStart(11)}× ${`${((node - custom) / 1000).toFixed(2)} µs`.padStart(10)}`);
}
// Read the results, so no call can be optimised away.
if (sink === -1) console.log(sink);
