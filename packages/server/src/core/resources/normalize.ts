/**
 * Resource indicators are compared as one normal form (RFC 8707 §2; RFC 3986 §6.2.2, §6.2.3):
 * scheme and host lower-case, the default port dropped, an empty path as `/`, dot segments
 * removed, percent-encodings upper-case and unreserved characters decoded. The WHATWG URL parser does all but the last two, so the
 * value registered, the value requested and the token's `aud` are the same string when they name
 * the same resource. A fragment is refused (RFC 8707 §2: "MUST NOT include a fragment
 * component"); so are credentials in the URI, relative references and non-http(s) schemes,
 * which name nothing a client can call.
 */

export type ResourceUriProblem = 'not_absolute' | 'scheme' | 'fragment' | 'credentials';

export type NormalizedResource = { ok: true; uri: string } | { ok: false; problem: ResourceUriProblem };

export function normalizeResourceUri(value: string): NormalizedResource {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return { ok: false, problem: 'not_absolute' };
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return { ok: false, problem: 'scheme' };
  if (value.includes('#')) return { ok: false, problem: 'fragment' };
  if (url.username !== '' || url.password !== '') return { ok: false, problem: 'credentials' };
  return { ok: true, uri: url.href.replace(/%[0-9a-f]{2}/gi, percentEncoding) };
}

/** RFC 3986 §6.2.2.1-2: upper-case hex, and unreserved characters decoded (`%7e` is `~`). */
function percentEncoding(triplet: string): string {
  const character = String.fromCharCode(parseInt(triplet.slice(1), 16));
  return /[A-Za-z0-9\-._~]/.test(character) ? character : triplet.toUpperCase();
}

/** What a refused resource URI lacks, for error descriptions and form errors. */
export const resourceUriProblemText: Record<ResourceUriProblem, string> = {
  not_absolute: 'must be an absolute URI',
  scheme: 'must use https (or http)',
  fragment: 'must not include a fragment',
  credentials: 'must not include a user name or password',
};
