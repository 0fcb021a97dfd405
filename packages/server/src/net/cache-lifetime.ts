/**
 * How long a fetched response may be reused, read from its headers as a private cache would
 * (RFC 9111 §4.2.1 freshness lifetime, §4.2.3 age, §5.2.2 response directives). The document
 * cache clamps the result to its own bounds, which the client ID metadata document draft allows
 * (draft-ietf-oauth-client-id-metadata-document, "Metadata Caching").
 */

export interface CacheLifetime {
  /** `Cache-Control: no-store`: the response asked not to be kept at all. */
  noStore: boolean;
  /**
   * Seconds the response stays fresh from now (its lifetime less its `Age`), 0 when already
   * stale (`no-cache`, an invalid or past `Expires`), or null when the headers say nothing.
   */
  maxAgeSeconds: number | null;
}

type HeaderValue = string | string[] | undefined;

export interface CacheHeaders {
  'cache-control'?: HeaderValue;
  expires?: HeaderValue;
  date?: HeaderValue;
  age?: HeaderValue;
}

const DELTA_SECONDS = /^\d+$/;

const joined = (value: HeaderValue): string | undefined => (Array.isArray(value) ? value.join(', ') : value);

/** Directive name (lowercase) → its values, one per occurrence (quotes removed); `true` for a bare name. */
function directives(header: string): Map<string, (string | true)[]> {
  const found = new Map<string, (string | true)[]>();
  for (const part of header.split(',')) {
    const [rawName = '', ...rest] = part.split('=');
    const name = rawName.trim().toLowerCase();
    if (name === '') continue;
    const value: string | true = rest.length === 0 ? true : rest.join('=').trim().replace(/^"(.*)"$/, '$1');
    found.set(name, [...(found.get(name) ?? []), value]);
  }
  return found;
}

/** A `delta-seconds` value, or undefined when malformed (RFC 9111 §1.2.2). */
function deltaSeconds(value: string | true | undefined): number | undefined {
  if (typeof value !== 'string' || !DELTA_SECONDS.test(value)) return undefined;
  return Math.min(Number(value), 2 ** 31);
}

/** The response's remaining freshness, `now` in milliseconds. */
export function cacheLifetime(headers: CacheHeaders, now: number): CacheLifetime {
  const control = directives(joined(headers['cache-control']) ?? '');
  const noStore = control.has('no-store');
  let lifetime: number | null = null;
  const maxAge = control.get('max-age');
  if (control.has('no-cache')) {
    // Must be revalidated before every use, which this cache never does: stale at once.
    lifetime = 0;
  } else if (maxAge !== undefined) {
    // Several max-age directives, or a malformed one, make the response stale (§4.2.1, §5.2.2.1).
    lifetime = maxAge.length === 1 ? (deltaSeconds(maxAge[0]) ?? 0) : 0;
  } else {
    const expires = joined(headers.expires);
    if (expires !== undefined) {
      const expiresAt = Date.parse(expires);
      const date = Date.parse(joined(headers.date) ?? '');
      // An invalid Expires (such as "0") means already expired (§5.3).
      lifetime = Number.isNaN(expiresAt) ? 0 : Math.max(0, Math.floor((expiresAt - (Number.isNaN(date) ? now : date)) / 1000));
    }
  }
  if (lifetime !== null) {
    const age = deltaSeconds(joined(headers.age)?.trim()) ?? 0;
    lifetime = Math.max(0, lifetime - age);
  }
  return { noStore, maxAgeSeconds: lifetime };
}
