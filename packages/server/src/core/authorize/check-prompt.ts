/** OpenID Connect Core §3.1.2.1: `prompt` values; `none` must stand alone. */
import { OAuthError } from '../errors.js';
import type { Params } from '../params.js';
import type { Prompt } from './request.js';

const PROMPTS: readonly Prompt[] = ['none', 'login', 'consent', 'select_account'];

export function checkPrompt(params: Params): Prompt[] {
  const values = [...new Set((params.get('prompt') ?? '').split(' ').filter(Boolean))];
  const unknown = values.filter((value) => !PROMPTS.includes(value as Prompt));
  if (unknown.length > 0) throw new OAuthError('invalid_request', `unsupported prompt value: ${unknown[0]!.slice(0, 40)}`);
  if (values.includes('none') && values.length > 1) {
    throw new OAuthError('invalid_request', 'prompt=none cannot be combined with other values');
  }
  return values as Prompt[];
}
