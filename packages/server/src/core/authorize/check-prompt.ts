/**
 * OpenID Connect Core §3.1.2.1: `prompt` values; `none` must stand alone. `promptValues` is the
 * one list: discovery advertises it as `prompt_values_supported` (OpenID Connect Discovery §3,
 * Initiating User Registration §4.1), so only what this check admits is advertised.
 */
import { errors } from '../error-catalogue.js';
import { OAuthError } from '../errors.js';
import type { Params } from '../params.js';

export const promptValues = ['none', 'login', 'consent', 'select_account'] as const;

export type Prompt = (typeof promptValues)[number];

const isPrompt = (value: string): value is Prompt => (promptValues as readonly string[]).includes(value);

export function checkPrompt(params: Params): Prompt[] {
  const values = [...new Set((params.get('prompt') ?? '').split(' ').filter(Boolean))];
  const unknown = values.filter((value) => !isPrompt(value));
  if (unknown.length > 0) throw new OAuthError(errors.invalidRequest.unsupportedPrompt(unknown[0]!.slice(0, 40)));
  if (values.includes('none') && values.length > 1) {
    throw new OAuthError(errors.invalidRequest.promptNoneCombined);
  }
  return values as Prompt[];
}
