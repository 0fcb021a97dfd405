/**
 * Request parameters at the edge. RFC 6749 §3.1: parameters sent without a value are treated as
 * omitted, and a parameter must not be included more than once.
 */
import { OAuthError } from './errors.js';

export class Params {
  private constructor(
    private readonly values: Map<string, string>,
    /** Names that appeared more than once (with a value). */
    readonly duplicates: readonly string[],
  ) {}

  static from(source: URLSearchParams | Iterable<[string, string]>): Params {
    const values = new Map<string, string>();
    const duplicates = new Set<string>();
    for (const [name, value] of source) {
      if (value === '') continue;
      if (values.has(name)) duplicates.add(name);
      else values.set(name, value);
    }
    return new Params(values, [...duplicates]);
  }

  static fromForm(body: string): Params {
    return Params.from(new URLSearchParams(body));
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
      throw new OAuthError('invalid_request', `parameter ${offending[0]} was included more than once`);
    }
  }

  require(name: string): string {
    const value = this.values.get(name);
    if (value === undefined) throw new OAuthError('invalid_request', `missing required parameter ${name}`);
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
