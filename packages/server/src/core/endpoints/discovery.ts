/**
 * OpenID Provider metadata (OpenID Connect Discovery 1.0 §3) and authorization server metadata
 * (RFC 8414 §2). Only what is implemented is advertised.
 */
import { supportedClaims } from '../claims.js';
import type { CoreDeps } from '../deps.js';
import { promptValues } from '../authorize/check-prompt.js';
import { authMethodsAccepted, INTROSPECTION_CLIENT_AUTH, REVOCATION_CLIENT_AUTH } from '../client-auth/methods.js';
import { grantRegistry, grantTypes } from '../grants/registry.js';
import { signingAlgs } from '../model.js';

export const endpointPaths = {
  authorization: '/oauth/authorize',
  token: '/oauth/token',
  userinfo: '/oauth/userinfo',
  jwks: '/oauth/jwks',
  introspection: '/oauth/introspect',
  revocation: '/oauth/revoke',
  resources: '/oauth/token/resources',
  validate: '/oauth/validate',
} as const;

export async function discoveryDocument(deps: CoreDeps): Promise<Record<string, unknown>> {
  const issuer = deps.config.issuer;
  const scopes = await deps.stores.listScopes();
  // The token endpoint admits a public client when one of its grants does (endpoints/token.ts).
  const tokenMethods = authMethodsAccepted({ allowPublic: grantRegistry.some((grant) => grant.allowsPublicClients) });
  return {
    issuer,
    authorization_endpoint: issuer + endpointPaths.authorization,
    token_endpoint: issuer + endpointPaths.token,
    userinfo_endpoint: issuer + endpointPaths.userinfo,
    jwks_uri: issuer + endpointPaths.jwks,
    introspection_endpoint: issuer + endpointPaths.introspection,
    revocation_endpoint: issuer + endpointPaths.revocation,
    resources_endpoint: issuer + endpointPaths.resources,
    scopes_supported: scopes.map((scope) => scope.name),
    response_types_supported: ['code', 'none'],
    response_modes_supported: ['query'],
    grant_types_supported: [...grantTypes],
    subject_types_supported: ['public'],
    id_token_signing_alg_values_supported: [...signingAlgs],
    token_endpoint_auth_methods_supported: tokenMethods,
    introspection_endpoint_auth_methods_supported: authMethodsAccepted(INTROSPECTION_CLIENT_AUTH),
    revocation_endpoint_auth_methods_supported: authMethodsAccepted(REVOCATION_CLIENT_AUTH),
    code_challenge_methods_supported: ['S256'],
    claims_supported: [...supportedClaims],
    claims_parameter_supported: false,
    request_parameter_supported: false,
    request_uri_parameter_supported: false,
    prompt_values_supported: [...promptValues],
    authorization_response_iss_parameter_supported: true,
  };
}
