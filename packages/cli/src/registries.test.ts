import { Readable } from 'node:stream';
import { DEFAULT_AUTH_METHOD, LOOPBACK_HOSTS_TEXT, defaultGrantTypes, grantTypes, tokenEndpointAuthMethods } from '@gatehouse/server';
import { describe, expect, it } from 'vitest';
import { main } from './main.js';

async function help(args: string[]): Promise<string> {
  let stdout = '';
  const code = await main([...args, '--help'], { stdout: (text) => void (stdout += text), stderr: () => {}, env: {}, stdin: Readable.from([]) });
  expect(code).toBe(0);
  return stdout;
}

/** The CLI's help names what the server's registries list, so it cannot fall behind them. */
describe('gatehouse clients create --help', () => {
  it('lists the registered auth methods and grant types, the defaults and the loopback hosts', async () => {
    const text = await help(['clients', 'create']);
    expect(text).toContain(`--auth-method ${tokenEndpointAuthMethods.join('|')}`);
    expect(text).toContain(`--grant-type ${grantTypes.join('|')}`);
    expect(text).toContain(`Defaults: auth method ${DEFAULT_AUTH_METHOD}, grant types ${defaultGrantTypes.join(' and ')},`);
    expect(text).toContain(`http only for ${LOOPBACK_HOSTS_TEXT}`);
    expect(grantTypes).toContain('client_credentials');
  });
});
