#!/usr/bin/env node
// The layer rule of packages/server/src, as an allowlist per layer (docs/architecture.md):
// - core (the protocol engine) imports itself, node:crypto, node:zlib, jose and @node-rs/argon2
//   only, so it stays testable without a server or a database and storage/HTTP stay swappable;
// - storage imports core, its SQL drivers and Node's built-ins, never http/ or ui/;
// - http imports core, ui, net, Hono and its logger, never storage/ or an SQL library;
// - net (outbound fetches of client-supplied URLs) imports itself and node:https, node:dns,
//   node:net, node:tls and node:url only, so what may open a connection stays in one small place;
// - ui (pages as pure functions of props) imports itself and hono/jsx only.
// Every way a module can be reached is checked, from a TypeScript syntax tree rather than a
// regular expression: static imports and re-exports, side-effect imports, `import x = require()`,
// `require(...)`, dynamic `import(...)` and `import('…')` types. A specifier that is not a string
// literal cannot be checked, so it is refused. Test files (*.test.ts, *.test.tsx) are exempt.
//
// Usage: node scripts/lint-core-imports.mjs                    (every layer; `npm run lint`)
//        node scripts/lint-core-imports.mjs [--layer L] DIR   (DIR's files as if in layer L, default core)
// core/architecture.test.ts imports lintSource to prove that each forbidden form is caught.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { fileURLToPath } from 'node:url';
import { dirname, join, relative, resolve, sep } from 'node:path';
import ts from 'typescript';

const root = resolve(fileURLToPath(new URL('..', import.meta.url)));
const src = join(root, 'packages/server/src');

/** Bare specifiers each layer may import (exact names, or a prefix ending in "/"). */
const nodeBuiltins = builtinModules.filter((name) => !name.startsWith('_')).flatMap((name) => [name, `node:${name}`]);
/** Never outside storage, whatever another rule allows. */
const sqlLibraries = ['kysely', 'pg', 'pg-pool', 'postgres', 'better-sqlite3', 'sqlite', 'sqlite3', 'node:sqlite', 'mysql', 'mysql2'];

const layers = {
  core: {
    packages: ['node:crypto', 'node:zlib', 'jose', '@node-rs/argon2'],
    folders: ['core'],
  },
  storage: {
    packages: ['kysely', 'pg', 'better-sqlite3', 'node:sqlite', ...nodeBuiltins],
    folders: ['storage', 'core'],
  },
  http: {
    packages: ['hono', 'hono/', '@hono/node-server', '@hono/node-server/', 'pino', ...nodeBuiltins.filter((name) => !sqlLibraries.includes(name))],
    folders: ['http', 'core', 'ui', 'net'],
  },
  net: {
    packages: ['node:https', 'node:dns', 'node:net', 'node:tls', 'node:url'],
    folders: ['net'],
  },
  ui: {
    packages: ['hono/jsx', 'hono/jsx/', 'hono/html', 'hono/utils/html'],
    folders: ['ui'],
  },
};

function allowedPackage(layer, specifier) {
  if (sqlLibraries.includes(specifier) && layer !== 'storage') return false;
  return layers[layer].packages.some((allowed) => (allowed.endsWith('/') ? specifier.startsWith(allowed) : specifier === allowed));
}

/** The folder of packages/server/src a path lies in ("core", "http", …), or undefined outside it. */
function folderOf(path) {
  const rel = relative(src, path);
  if (rel.startsWith('..') || rel === '') return undefined;
  return rel.split(sep)[0];
}

function problemWith(layer, virtualFile, specifier) {
  if (specifier.startsWith('.') || specifier.startsWith('/')) {
    const target = resolve(dirname(virtualFile), specifier);
    const folder = folderOf(target);
    return folder !== undefined && layers[layer].folders.includes(folder) ? undefined : `${layer} must not import "${specifier}"`;
  }
  return allowedPackage(layer, specifier) ? undefined : `${layer} must not import "${specifier}"`;
}

/** Every module specifier in the file, with the form it was written in. */
function specifiers(file, text) {
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true, file.endsWith('x') ? ts.ScriptKind.TSX : ts.ScriptKind.TS);
  const found = [];
  const add = (node, form) => {
    const line = source.getLineAndCharacterOfPosition(node.getStart(source)).line + 1;
    if (node && ts.isStringLiteralLike(node)) found.push({ specifier: node.text, form, line });
    else found.push({ specifier: undefined, form, line });
  };
  const visit = (node) => {
    if (ts.isImportDeclaration(node)) add(node.moduleSpecifier, 'import');
    else if (ts.isExportDeclaration(node) && node.moduleSpecifier) add(node.moduleSpecifier, 'export … from');
    else if (ts.isImportEqualsDeclaration(node) && ts.isExternalModuleReference(node.moduleReference)) add(node.moduleReference.expression, 'import = require');
    else if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument)) add(node.argument.literal, 'import type');
    else if (ts.isCallExpression(node)) {
      const callee = node.expression;
      const arg = node.arguments[0] ?? node;
      if (callee.kind === ts.SyntaxKind.ImportKeyword) add(arg, 'dynamic import()');
      else if (ts.isIdentifier(callee) && callee.text === 'require') add(arg, 'require()');
      else if (ts.isPropertyAccessExpression(callee) && ts.isIdentifier(callee.expression) && callee.expression.text === 'require' && callee.name.text === 'resolve') add(arg, 'require.resolve()');
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

function* files(dir) {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) yield* files(path);
    else if (/\.tsx?$/.test(name) && !/\.d\.ts$/.test(name) && !/\.test\.tsx?$/.test(name)) yield path;
  }
}

/** [line, problem] for each import of the text that `layer` may not have, as if it lay at `file`. */
function check(layer, file, text) {
  return specifiers(file, text).flatMap(({ specifier, form, line }) => {
    const problem = specifier === undefined ? `${layer} must not ${form} a computed specifier` : problemWith(layer, file, specifier);
    return problem ? [[line, `${problem} (${form})`]] : [];
  });
}

/**
 * The problems of one file's text, as if it lay at `path` in `layer`'s folder (`path` relative to
 * that folder, e.g. "pages/admin/page.tsx"), each as "path:line: problem".
 */
export function lintSource(layer, path, text) {
  if (!(layer in layers)) throw new Error(`unknown layer "${layer}" (${Object.keys(layers).join(', ')})`);
  return check(layer, join(src, layer, path), text).map(([line, problem]) => `${path}:${line}: ${problem}`);
}

/** The problems of every production file under `dir`, checked as files of `layer` (default: that layer's own folder). */
export function lintDirectory(layer, dir = join(src, layer)) {
  const problems = [];
  for (const file of files(dir)) {
    for (const [line, problem] of check(layer, join(src, layer, relative(dir, file)), readFileSync(file, 'utf8'))) {
      problems.push(`${relative(process.cwd(), file)}:${line}: ${problem}`);
    }
  }
  return problems;
}

function main(argv) {
  const args = [...argv];
  let layer = 'core';
  const at = args.indexOf('--layer');
  if (at !== -1) {
    layer = args[at + 1];
    args.splice(at, 2);
    if (!(layer in layers)) {
      console.error(`unknown layer "${layer}" (${Object.keys(layers).join(', ')})`);
      process.exit(2);
    }
  }
  const problems = args[0] ? lintDirectory(layer, resolve(args[0])) : Object.keys(layers).flatMap((name) => lintDirectory(name));
  if (problems.length > 0) {
    console.error(problems.join('\n'));
    process.exit(1);
  }
  console.log(`layer import rule (${Object.keys(layers).join(', ')}): ok`);
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) main(process.argv.slice(2));
