/** Reading request bodies at the edge: bounded, form-encoded, never a 5xx for bad input. */
import type { Context } from 'hono';
import { OAuthError } from '../core/errors.js';
import { Params } from '../core/params.js';

export const MAX_FORM_BYTES = 64 * 1024;

/**
 * `new URLSearchParams(await c.req.text())` is ~3× faster than `parseBody()` on the token path.
 * RFC 6749 §3.2 requires `application/x-www-form-urlencoded`.
 */
export async function readForm(c: Context): Promise<Params> {
  const type = c.req.header('content-type') ?? '';
  if (!/^application\/x-www-form-urlencoded\b/i.test(type)) {
    throw new OAuthError('invalid_request', 'the request body must be application/x-www-form-urlencoded');
  }
  const length = Number(c.req.header('content-length') ?? '0');
  if (length > MAX_FORM_BYTES) throw new OAuthError('invalid_request', 'the request body is too large');
  const text = await c.req.text();
  if (text.length > MAX_FORM_BYTES) throw new OAuthError('invalid_request', 'the request body is too large');
  return Params.fromForm(text);
}

/** Form fields that may repeat (checkbox groups). */
export async function readFormAll(c: Context): Promise<{ params: Params; all: (name: string) => string[] }> {
  const type = c.req.header('content-type') ?? '';
  if (!/^application\/x-www-form-urlencoded\b/i.test(type)) {
    throw new OAuthError('invalid_request', 'the form must be application/x-www-form-urlencoded');
  }
  const text = await c.req.text();
  if (text.length > MAX_FORM_BYTES) throw new OAuthError('invalid_request', 'the request body is too large');
  const search = new URLSearchParams(text);
  return { params: Params.from(search), all: (name) => search.getAll(name).filter((value) => value !== '') };
}

export const queryParams = (c: Context): Params => Params.from(new URL(c.req.url).searchParams);
