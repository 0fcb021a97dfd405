/**
 * An internal app is for members of the workspace that owns it (or for its owning user), for as
 * long as they are members: not only when they authorize it, but at every refresh. Ending the
 * membership, or making an app internal, revokes the consents of those it no longer admits.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { updateClientSettings } from '../core/manage/clients.js';
import { leaveWorkspace, removeWorkspaceMember } from '../core/manage/members.js';
import type { User, Workspace } from '../core/model.js';
import { testDatabases } from '../testing/databases.js';
import { clientAuth, postForm, signInForTokens } from '../testing/flows.js';
import { startTestServer, type TestServer } from '../testing/harness.js';

type App = { clientId: string; clientSecret: string | undefined };

describe.each(testDatabases())('internal apps and workspace membership on $name', (factory) => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer(factory);
  });
  afterAll(async () => server?.close());

  const refresh = (app: App, refreshToken: string) => postForm(server, '/oauth/token', { grant_type: 'refresh_token', refresh_token: refreshToken, ...clientAuth(app) });
  const introspect = (app: App, token: string) => postForm(server, '/oauth/introspect', { token, ...clientAuth(app) });

  async function expectRefused(app: App, refreshToken: string): Promise<void> {
    const answer = await refresh(app, refreshToken);
    expect(answer.status).toBe(400);
    expect(answer.body.error).toBe('invalid_grant');
  }

  async function expectRefreshes(app: App, refreshToken: string): Promise<void> {
    const answer = await refresh(app, refreshToken);
    expect(answer.status).toBe(200);
    expect((await introspect(app, answer.body.access_token)).body.active).toBe(true);
  }

  async function world(visibility: 'internal' | 'public') {
    const owner: User = await server.user();
    const member: User = await server.user();
    const outsider: User = await server.user();
    const workspace: Workspace = await server.workspace({ name: 'Team', owner });
    await server.addMember(workspace, member);
    const app = await server.app({ visibility, ownerWorkspaceId: workspace.id });
    return { owner, member, outsider, workspace, app };
  }

  it('a member removed from the owning workspace can no longer refresh; the others still can', async () => {
    const { owner, member, workspace, app } = await world('internal');
    const mine = await signInForTokens(server, app, { user: owner });
    const theirs = await signInForTokens(server, app, { user: member });
    await removeWorkspaceMember(server.gatehouse.deps, owner.id, workspace.id, member.username);
    await expectRefused(app, theirs.refresh_token!);
    expect((await introspect(app, theirs.access_token)).body.active).toBe(false);
    await expectRefreshes(app, mine.refresh_token!);
  });

  it('a member who leaves the owning workspace can no longer refresh', async () => {
    const { owner, member, workspace, app } = await world('internal');
    const mine = await signInForTokens(server, app, { user: owner });
    const theirs = await signInForTokens(server, app, { user: member });
    await leaveWorkspace(server.gatehouse.deps, member.id, workspace.id);
    await expectRefused(app, theirs.refresh_token!);
    expect((await introspect(app, theirs.access_token)).body.active).toBe(false);
    await expectRefreshes(app, mine.refresh_token!);
  });

  it('a refresh checks the membership itself, whatever ended it', async () => {
    const { owner, member, workspace, app } = await world('internal');
    const mine = await signInForTokens(server, app, { user: owner });
    const theirs = await signInForTokens(server, app, { user: member });
    // The membership row alone goes (as another instance or a direct database edit would): no revocation ran.
    await server.gatehouse.deps.stores.removeMember(workspace.id, member.id);
    await expectRefused(app, theirs.refresh_token!);
    await expectRefreshes(app, mine.refresh_token!);
  });

  it('making an app internal revokes the consents of non-members; members keep theirs', async () => {
    const { member, outsider, app } = await world('public');
    const theirs = await signInForTokens(server, app, { user: outsider });
    const ours = await signInForTokens(server, app, { user: member });
    await updateClientSettings(server.gatehouse.deps, app.clientId, { visibility: 'internal' });
    await expectRefused(app, theirs.refresh_token!);
    expect((await introspect(app, theirs.access_token)).body.active).toBe(false);
    await expectRefreshes(app, ours.refresh_token!);
    expect((await introspect(app, ours.access_token)).body.active).toBe(true);
  });

  it('a refresh of an app made internal by a direct update is refused to non-members', async () => {
    const { member, outsider, app } = await world('public');
    const theirs = await signInForTokens(server, app, { user: outsider });
    const ours = await signInForTokens(server, app, { user: member });
    await server.gatehouse.deps.stores.updateClient(app.clientId, { visibility: 'internal' });
    await expectRefused(app, theirs.refresh_token!);
    await expectRefreshes(app, ours.refresh_token!);
  });

  it('an app of a user made internal is kept by its owner only', async () => {
    const owner = await server.user();
    const other = await server.user();
    const app = await server.app({ visibility: 'public', ownerUserId: owner.id });
    const mine = await signInForTokens(server, app, { user: owner });
    const theirs = await signInForTokens(server, app, { user: other });
    await updateClientSettings(server.gatehouse.deps, app.clientId, { visibility: 'internal' });
    await expectRefused(app, theirs.refresh_token!);
    expect((await introspect(app, theirs.access_token)).body.active).toBe(false);
    await expectRefreshes(app, mine.refresh_token!);
  });
});
