/**
 * An in-process Gatehouse on a real socket and a fresh database, with a controllable clock and
 * builders for users, workspaces and apps. Each test builds its own small world with it.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { getRequestListener } from '@hono/node-server';
import { defaultCoreConfig, type CoreConfig } from '../core/config.js';
import { registerClient, type RegisterClientInput } from '../core/manage/clients.js';
import { createUser } from '../core/manage/users.js';
import { addWorkspaceMember, createWorkspace } from '../core/manage/workspaces.js';
import type { Client, User, Workspace, WorkspaceRole } from '../core/model.js';
import { createGatehouse, type Gatehouse } from '../gatehouse.js';
import type { TestDatabase, TestDatabaseFactory } from './databases.js';

export interface TestServer {
  url: string;
  issuer: string;
  gatehouse: Gatehouse;
  database: TestDatabase;
  /** Real time plus an offset; `freeze()` stops it where it is (for tests whose waits are a second or two). */
  clock: { now(): number; advance(seconds: number): void; freeze(): () => void };
  user(input?: Partial<{ username: string; password: string; email: string; name: string; isAdmin: boolean }>): Promise<User & { password: string }>;
  workspace(input: { name: string; owner: User; slug?: string }): Promise<Workspace>;
  addMember(workspace: Workspace, user: User, role?: WorkspaceRole): Promise<void>;
  scope(name: string, description: string, requiresWorkspace?: boolean): Promise<void>;
  app(input?: Partial<RegisterClientInput>): Promise<{ client: Client; clientId: string; clientSecret: string | undefined }>;
  close(): Promise<void>;
}

let counter = 0;
const unique = (base: string) => `${base}${process.pid}x${++counter}`;

export async function startTestServer(
  factory: TestDatabaseFactory,
  options: { config?: (base: CoreConfig) => CoreConfig; database?: TestDatabase } = {},
): Promise<TestServer> {
  const database = options.database ?? (await factory.open());
  const server: Server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  const issuer = `http://localhost:${port}`;
  let offset = 0;
  let frozenAt: number | undefined;
  const clock = {
    now: () => (frozenAt ?? Math.floor(Date.now() / 1000)) + offset,
    advance: (seconds: number) => void (offset += seconds),
    /** Stops the clock; the function returned lets it run again (from real time plus the offset). */
    freeze: () => {
      frozenAt ??= Math.floor(Date.now() / 1000);
      return () => void (frozenAt = undefined);
    },
  };
  const base = defaultCoreConfig(issuer);
  const core = options.config ? options.config(base) : base;
  await database.stores.close();
  const gatehouse = await createGatehouse({ databaseUrl: database.url, core, now: clock.now });
  server.on('request', getRequestListener(gatehouse.app.fetch));
  const stores = gatehouse.deps.stores;

  return {
    url: issuer,
    issuer,
    gatehouse,
    database,
    clock,
    async user(input = {}) {
      const password = input.password ?? 'correct horse battery';
      const user = await createUser(gatehouse.deps, {
        username: input.username ?? unique('user'),
        password,
        ...(input.email ? { email: input.email } : {}),
        ...(input.name ? { name: input.name } : {}),
        ...(input.isAdmin ? { isAdmin: true } : {}),
      });
      return { ...user, password };
    },
    async workspace({ name, owner, slug }) {
      return createWorkspace(gatehouse.deps, { name, slug: slug ?? unique('ws-').toLowerCase(), ownerUserId: owner.id });
    },
    async addMember(workspace, user, role = 'member') {
      await addWorkspaceMember(gatehouse.deps, { workspaceSlug: workspace.slug, username: user.username, role });
    },
    async scope(name, description, requiresWorkspace = false) {
      await stores.upsertScope({ name, description, requiresWorkspace, builtin: false });
    },
    async app(input = {}) {
      const { client, clientSecret } = await registerClient({ ...gatehouse.deps, config: core }, {
        client_name: 'Test App',
        redirect_uris: ['http://127.0.0.1:9999/callback'],
        scope: 'openid profile email',
        ...input,
      });
      return { client, clientId: client.id, clientSecret };
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await gatehouse.close();
      await database.close().catch(() => {});
    },
  };
}
