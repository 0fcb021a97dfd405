#!/usr/bin/env node
// Writes docs/errors.md from the error catalogue (packages/server/src/core/error-catalogue.ts and
// errors-doc.ts), read from the build: run `npm run build` first. `--check` only compares, and
// exits 1 when the committed file differs (core/errors-doc.test.ts checks the same from source).
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const target = `${root}docs/errors.md`;
const { renderErrorsDoc } = await import(`${root}packages/server/dist/core/errors-doc.js`);
const rendered = renderErrorsDoc();

if (process.argv.includes('--check')) {
  if (readFileSync(target, 'utf8') !== rendered) {
    console.error('docs/errors.md differs from the error catalogue: run node scripts/errors-doc.mjs');
    process.exit(1);
  }
} else {
  writeFileSync(target, rendered);
  console.log('wrote docs/errors.md');
}
