/**
 * `@gatehouse/sdk`: client and resource-server SDK for the Gatehouse OAuth 2.1 / OpenID Connect
 * authorization server. Web APIs only (fetch, crypto.subtle, URL): runs on Node 20+, Deno, Bun
 * and edge runtimes.
 */
export { GatehouseApp } from './app.js';
export type { GatehouseAppOptions, AuthorizationUrlOptions, AuthorizationRequest, SavedAuthorization } from './app.js';
export { TokenSet, REFRESH_MARGIN_SECONDS } from './token-set.js';
export type { GatehouseUser, Workspace, TokenGrant, TokenSetJSON } from './token-set.js';
export type { IdTokenClaims, OnTokens } from './core.js';
export type { ClientAuthMethod } from './http.js';
export type { ServerMetadata } from './discovery.js';
export { ResourceServer, assertScopes } from './resource-server.js';
export type { ResourceServerOptions, VerifiedAccessToken, TokenWorkspace } from './resource-server.js';
export { authorizeRequest, requireScopes, honoRequireScopes, fastifyRequireScopes } from './middleware.js';
export type {
  BearerCheckResult,
  NodeLikeRequest,
  NodeLikeResponse,
  HonoLikeContext,
  FastifyLikeRequest,
  FastifyLikeReply,
} from './middleware.js';
export {
  GatehouseError,
  OAuthError,
  StateMismatchError,
  IssuerMismatchError,
  IdTokenError,
  InvalidTokenError,
  InsufficientScopeError,
  UnexpectedResponseError,
} from './errors.js';
export type { GatehouseErrorCode, OAuthEndpoint, IdTokenErrorReason } from './errors.js';
