/**
 * The grant types this server implements (RFC 6749 §4, §6), in the order discovery lists them
 * (RFC 8414 §2 `grant_types_supported`). The token endpoint dispatches through this list; the
 * `GrantType` union, registration's checks, the console's choices and the CLI's help are read
 * from it. Adding a grant type: its handler file, one line here, its docs and its tests.
 */
import { authorizationCodeGrant } from './authorization-code.js';
import { clientCredentialsGrant } from './client-credentials.js';
import type { GrantHandler } from './grant.js';
import { refreshTokenGrant } from './refresh-token.js';

export const grantRegistry = [authorizationCodeGrant, refreshTokenGrant, clientCredentialsGrant] as const;

export type GrantType = (typeof grantRegistry)[number]['grantType'];

export const grantTypes: readonly GrantType[] = grantRegistry.map((handler) => handler.grantType);

/** What a registration that names no `grant_types` gets (RFC 7591 §2 makes the default `authorization_code`; refresh tokens come with it). */
export const defaultGrantTypes: readonly GrantType[] = ['authorization_code', 'refresh_token'];

const byType: ReadonlyMap<string, GrantHandler<GrantType>> = new Map(grantRegistry.map((handler) => [handler.grantType, handler]));

/** The handler of a `grant_type` value, or undefined when this server does not implement it. */
export const grantHandlerFor = (grantType: string): GrantHandler<GrantType> | undefined => byType.get(grantType);

export const isGrantType = (value: string): value is GrantType => byType.has(value);
