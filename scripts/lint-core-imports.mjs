#!/usr/bin/env node
// Lint rule: the protocol engine (packages/server/src/core) imports no HTTP framework and no SQL.
// Core stays testable without a server or a database, and storage/HTTP stay swappable.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const coreDir = process.argv[2] ?? join(root, 'packages/server/src/core');
const forbidden = [
  /^hono(\/|$)/, /^@hono\//, /^express$/, /^fastify$/, /^node:http2?$/, /^https?$/, /^node:https$/,
  /^kysely(\/|$)/, /^pg(\/|$)/, /^better-sqlite3$/, /^postgres$/, /^mysql2?$/,
  /\/(http|storage|ui)\//, /^\.\.\/(\.\.\/)*(http|storage|ui)(\/|$)/,
];

function* files(dir) {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) yield* files(path);
    else if (/\.tsx?$/.test(name)) yield path;
  }
}

const problems = [];
for (const file of files(coreDir)) {
  const text = readFileSync(file, 'utf8');
  for (const match of text.matchAll(/(?:^|\n)\s*(?:import|export)[^'"]*?from\s+['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g)) {
    const specifier = match[1] ?? match[2];
    if (forbidden.some((pattern) => pattern.test(specifier))) {
      problems.push(`${relative(process.cwd(), file)}: core must not import "${specifier}"`);
    }
  }
}
if (problems.length > 0) {
  console.error(problems.join('\n'));
  process.exit(1);
}
console.log('core import rule: ok');
