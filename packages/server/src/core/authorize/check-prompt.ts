/** OpenID Connect Core §3.1.2.1: `prompt` values; `none` must stand alone. */
import { errors } from '../error-catalogue.js';
import { OAuthError } from '../errors.js';
import type { Params } from '../params.js';
import type { Prompt } from './request.js';

const PROMPTS: readonly Prompt[] = ['none', 'login', 'consent', 'select_account'];

export function checkPrompt(params: Params): Prompt[] {
  const values = [...new Set((params.get('prompt') ?? '').split(' ').filter(Boolean))];
  const unknown = values.filter((value) => !PROMPTS.includes(value as Prompt));
  if (unknown.length > 0) throw new OAuthError(errors.invalidRequest.unsupportedPrompt(unknown[0]!.slice(0, 40)));
  if (values.includes('none') && values.length > 1) {
    throw new OAuthError(errors.invalidRequest.promptNoneCombined);
  }
  return values as Prompt[];
}
