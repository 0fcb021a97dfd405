/** How a failure is reported: one line of text, and the `error` kind and `field` of the `--json` object. */
import { ConfigError, ConflictError, NotFoundError, ValidationError } from '@gatehouse/server';
import { UsageError } from './framework.js';

export function oneLine(error: unknown): string {
  if (error instanceof AggregateError && error.errors.length > 0 && !error.message) return oneLine(error.errors[0]);
  const err = error as { message?: unknown; code?: unknown };
  const message = typeof err?.message === 'string' && err.message !== '' ? err.message : typeof err?.code === 'string' ? err.code : String(error);
  return message.replace(/\s*\n\s*/g, ' ').trim();
}

/** By name as well as class, so errors from a second copy of the server package are still recognised. */
export function errorKind(error: unknown): string {
  const is = (type: { name: string; prototype: object }): boolean =>
    error instanceof (type as unknown as new () => object) || (error as Error | undefined)?.name === type.name;
  if (is(UsageError)) return 'usage';
  if (is(ValidationError)) return 'invalid_input';
  if (is(ConflictError)) return 'conflict';
  if (is(NotFoundError)) return 'not_found';
  if (is(ConfigError)) return 'invalid_config';
  return 'error';
}

export function errorField(error: unknown): string | undefined {
  const { field, setting } = (error ?? {}) as { field?: unknown; setting?: unknown };
  if (typeof setting === 'string') return setting;
  return typeof field === 'string' ? field : undefined;
}
