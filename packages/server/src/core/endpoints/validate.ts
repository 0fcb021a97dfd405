/**
 * `GET /oauth/validate`: a bearer token asks about itself. Always HTTP 200, so a dead token is
 * distinguishable from an unreachable server; the shape matches what apps written for the
 * "Sign in with …" platforms expect (`workspace_url` is the first chosen workspace's slug).
 */
import type { CoreDeps } from '../deps.js';
import type { EndpointResult } from '../result.js';
import { resolveAccessToken } from '../tokens/resolve.js';
import { workspacesOf } from './workspaces.js';

const dead: EndpointResult = { type: 'json', status: 200, body: { active: false, exp: null, workspace_url: null, scopes: [] } };

export async function validateEndpoint(deps: CoreDeps, token: string | undefined): Promise<EndpointResult> {
  const record = await resolveAccessToken(deps, token);
  if (!record) return dead;
  const workspaces = await workspacesOf(deps, record.workspaceIds);
  return {
    type: 'json',
    status: 200,
    body: {
      active: true,
      exp: record.expiresAt,
      workspace_url: workspaces[0]?.slug ?? null,
      scopes: record.scopes,
      client_id: record.clientId,
      sub: record.userId ?? record.clientId,
      workspaces: workspaces.map(({ id, slug }) => ({ id, slug, url: slug })),
    },
  };
}
