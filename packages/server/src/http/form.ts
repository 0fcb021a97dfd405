/** Reading request bodies at the edge: bounded, form-encoded, never a 5xx for bad input. */
import type { Context } from 'hono';
import { errors } from '../core/error-catalogue.js';
import { OAuthError } from '../core/errors.js';
import { ENCODED_CONTROL_CHARACTERS, Params } from '../core/params.js';

export const MAX_FORM_BYTES = 64 * 1024;

/**
 * `new URLSearchParams(await c.req.text())` rather than `parseBody()`, which builds a Fetch FormData
 * and converts it: every token request carries a form.
 * RFC 6749 §3.2 requires `application/x-www-form-urlencoded`. A control character in any
 * parameter is `invalid_request` (RFC 6749 §5.2), before any query (see core/params.ts).
 */
export async function readForm(c: Context): Promise<Params> {
  const params = await readFormUnchecked(c);
  params.rejectControlCharacters();
  return params;
}

/**
 * The form, with control characters noted but not refused: for the authorization endpoint, whose
 * pipeline decides whether an error goes to the error page or to the client (RFC 6749 §4.1.2.1).
 */
export async function readFormUnchecked(c: Context): Promise<Params> {
  const type = c.req.header('content-type') ?? '';
  if (!/^application\/x-www-form-urlencoded\b/i.test(type)) {
    throw new OAuthError(errors.invalidRequest.bodyNotForm);
  }
  return Params.fromForm(await readBoundedText(c));
}

const tooLarge = () => new OAuthError(errors.invalidRequest.bodyTooLarge);

/**
 * The body as text, never more than MAX_FORM_BYTES in memory: a declared length is checked before
 * reading; a chunked body is read piece by piece and abandoned as soon as it passes the limit.
 */
async function readBoundedText(c: Context): Promise<string> {
  const declared = c.req.header('content-length');
  if (declared !== undefined && !c.req.header('transfer-encoding')) {
    if (Number(declared) > MAX_FORM_BYTES) throw tooLarge();
    return c.req.text();
  }
  const body = c.req.raw.body;
  if (!body) return '';
  const reader = body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > MAX_FORM_BYTES) {
      await reader.cancel();
      throw tooLarge();
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/**
 * Form fields that may repeat (checkbox groups). A control character in any field is refused
 * (invalid_request naming the field), except tab and line breaks in the `multiline` fields
 * (text areas).
 */
export async function readFormAll(c: Context, multiline: readonly string[] = []): Promise<{ params: Params; all: (name: string) => string[] }> {
  const type = c.req.header('content-type') ?? '';
  if (!/^application\/x-www-form-urlencoded\b/i.test(type)) {
    throw new OAuthError(errors.invalidRequest.formNotForm);
  }
  const search = new URLSearchParams(await readBoundedText(c));
  const params = Params.from(search);
  params.rejectControlCharacters(multiline);
  return { params, all: (name) => search.getAll(name).filter((value) => value !== '') };
}

/** The query string, control characters noted but not refused (the caller decides how to answer). */
export const queryParams = (c: Context): Params => Params.from(new URL(c.req.url).searchParams);

/** A control character anywhere in the request target, percent-encoded or raw: one precompiled test of the URL. */
export const urlHasControlCharacters = (url: string): boolean => ENCODED_CONTROL_CHARACTERS.test(url);
