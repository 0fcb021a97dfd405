import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { errors } from './error-catalogue.js';
import { catalogueEntries, errorSections, renderErrorsDoc, resolveEntry } from './errors-doc.js';
import { OAuthError } from './errors.js';

const src = fileURLToPath(new URL('..', import.meta.url));
const docPath = fileURLToPath(new URL('../../../../docs/errors.md', import.meta.url));

function productionSources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return productionSources(path);
    return /\.tsx?$/.test(name) && !/\.test\.tsx?$/.test(name) ? [path] : [];
  });
}

describe('error catalogue', () => {
  it('docs/errors.md is the rendering of the catalogue (node scripts/errors-doc.mjs after npm run build)', () => {
    expect(readFileSync(docPath, 'utf8')).toBe(renderErrorsDoc());
  });

  it('lists every entry somewhere in the doc, and only entries that exist', () => {
    const listed = new Set(errorSections.flatMap((section) => section.rows.map((row) => row.entry)));
    expect([...listed].sort()).toEqual(catalogueEntries().sort());
    for (const section of errorSections) for (const row of section.rows) expect(() => resolveEntry(row.entry, row.args)).not.toThrow();
  });

  it('holds only entries some code emits: each is named outside the catalogue', () => {
    const sources = ['core', 'http']
      .flatMap((layer) => productionSources(join(src, layer)))
      .filter((file) => !/error-catalogue\.ts$|errors-doc\.ts$/.test(file))
      .map((file) => readFileSync(file, 'utf8'))
      .join('\n');
    const unused = catalogueEntries().filter((path) => !sources.includes(`errors.${path}`));
    expect(unused).toEqual([]);
  });

  it('gives no two entries the same code and description', () => {
    const seen = new Map<string, string>();
    for (const path of catalogueEntries()) {
      const entry = resolveEntry(path);
      const key = `${entry.code} ${entry.description}`;
      expect(seen.get(key), `${path} repeats ${seen.get(key)}`).toBeUndefined();
      seen.set(key, path);
    }
  });

  it('is where core and http take every OAuth error from: no description written at a throw site', () => {
    const offenders = ['core', 'http'].flatMap((layer) =>
      productionSources(join(src, layer)).filter((file) => /new OAuthError\(\s*'|error_description: '/.test(readFileSync(file, 'utf8'))),
    );
    expect(offenders).toEqual([]);
  });

  it('makes OAuthErrors with the entry’s code, description and status', () => {
    const error = new OAuthError(errors.invalidToken.tokenInvalid, { detail: 'private' });
    expect(error).toMatchObject({ code: 'invalid_token', description: 'the token is invalid, expired or revoked', status: 400, detail: 'private' });
    expect(new OAuthError(errors.invalidRequest.duplicateParameter('scope')).toJSON()).toEqual({
      error: 'invalid_request',
      error_description: 'parameter scope was included more than once',
    });
  });
});
