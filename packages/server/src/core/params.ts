/**
 * Request parameters at the edge. RFC 6749 §3.1: parameters sent without a value are treated as
 * omitted, and a parameter must not be included more than once.
 *
 * Control characters are bad input everywhere (RFC 6749 §5.2 `invalid_request`: "includes an
 * invalid parameter value"): Postgres `text` cannot hold NUL, and no protocol parameter carries
 * C0 (U+0000–U+001F), DEL or C1 (U+0080–U+009F) characters. They are noted while parsing, one
 * precompiled test per value, and refused by `rejectControlCharacters()` before any query.
 */
import { errors } from './error-catalogue.js';
import { OAuthError } from './errors.js';

/** C0 controls, DEL and C1 controls. */
export const CONTROL_CHARACTERS = /[\u0000-\u001f\u007f-\u009f]/;
/** The same, less tab, line feed and carriage return: what a multi-line text field may contain. */
const CONTROL_CHARACTERS_BUT_LINE_BREAKS = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/;

export const hasControlCharacters = (value: string): boolean => CONTROL_CHARACTERS.test(value);

/**
 * A control character in form-encoded or URL text, as sent: percent-encoded (`%00`–`%1F`, `%7F`,
 * `%C2%80`–`%C2%9F`, the UTF-8 of C1) or raw. One test of the raw text lets the common case skip
 * the test per value.
 */
export const ENCODED_CONTROL_CHARACTERS = /%(?:[01][0-9a-f]|7f|c2%[89][0-9a-f])|[\u0000-\u001f\u007f-\u009f]/i;

/** How a parameter name is shown in an error description: control characters never reach a page or a log. */
const printable = (name: string): string => (CONTROL_CHARACTERS.test(name) ? JSON.stringify(name).replace(/[\u007f-\u009f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`) : name);

/** invalid_request for a parameter holding a control character; `field` lets a form re-render with the error beside the field. */
export class ControlCharacterError extends OAuthError {
  constructor(readonly field: string) {
    super(errors.invalidRequest.controlCharacters(printable(field).slice(0, 100)));
  }
}

export const controlCharacterError = (name: string): OAuthError => new ControlCharacterError(name);

const NONE: ReadonlyMap<string, string> = new Map();

export class Params {
  private constructor(
    private readonly values: Map<string, string>,
    /** Names that appeared more than once (with a value). */
    readonly duplicates: readonly string[],
    /** Parameters whose name or some value holds a control character, with that value. */
    private readonly controlled: ReadonlyMap<string, string> = NONE,
    /** Sum of the lengths of every name and value sent, empty ones included. */
    readonly size = 0,
  ) {}

  /** `scan: false` when the raw text was already found free of control characters. */
  static from(source: URLSearchParams | Iterable<[string, string]>, scan = true): Params {
    const values = new Map<string, string>();
    const duplicates = new Set<string>();
    let controlled: Map<string, string> | undefined;
    let size = 0;
    for (const [name, value] of source) {
      size += name.length + value.length;
      if (scan && (CONTROL_CHARACTERS.test(value) || CONTROL_CHARACTERS.test(name))) {
        controlled ??= new Map();
        // Keep the worst value seen under this name: a NUL in a later copy must not hide behind a line break.
        const before = controlled.get(name);
        if (before === undefined || !CONTROL_CHARACTERS_BUT_LINE_BREAKS.test(before)) controlled.set(name, CONTROL_CHARACTERS.test(name) ? '\u0000' : value);
      }
      if (value === '') continue;
      if (values.has(name)) duplicates.add(name);
      else values.set(name, value);
    }
    return new Params(values, [...duplicates], controlled, size);
  }

  static fromForm(body: string): Params {
    return Params.from(new URLSearchParams(body), ENCODED_CONTROL_CHARACTERS.test(body));
  }

  static empty(): Params {
    return new Params(new Map(), []);
  }

  get(name: string): string | undefined {
    return this.values.get(name);
  }

  has(name: string): boolean {
    return this.values.has(name);
  }

  /** Throws invalid_request when any of `names` was sent twice. */
  rejectDuplicates(names?: readonly string[]): void {
    const offending = names ? this.duplicates.filter((name) => names.includes(name)) : this.duplicates;
    if (offending.length > 0) {
      throw new OAuthError(errors.invalidRequest.duplicateParameter(offending[0]!));
    }
  }

  /** True when `name` (or, without a name, any parameter) holds a control character. */
  hasControlCharacters(name?: string): boolean {
    return name === undefined ? this.controlled.size > 0 : this.controlled.has(name);
  }

  /**
   * Throws invalid_request naming the first parameter that holds a control character. Fields in
   * `multiline` (text areas) may hold tab, line feed and carriage return, never anything else.
   */
  rejectControlCharacters(multiline: readonly string[] = []): void {
    for (const [name, value] of this.controlled) {
      if (multiline.includes(name) && !CONTROL_CHARACTERS_BUT_LINE_BREAKS.test(value)) continue;
      throw controlCharacterError(name);
    }
  }

  require(name: string): string {
    const value = this.values.get(name);
    if (value === undefined) throw new OAuthError(errors.invalidRequest.missingParameter(name));
    return value;
  }

  entries(): IterableIterator<[string, string]> {
    return this.values.entries();
  }
}

/** Space-delimited scope list (RFC 6749 §3.3), order kept, duplicates dropped. */
export function parseScope(value: string | undefined): string[] {
  if (!value) return [];
  return [...new Set(value.split(' ').filter((part) => part.length > 0))];
}

export const formatScope = (scopes: readonly string[]): string => scopes.join(' ');
