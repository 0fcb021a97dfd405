/** The stores stamp `created_at`/`updated_at`/`joined_at` with the server's clock (`CoreDeps.now`), not their own. */
import { afterEach, describe, expect, it } from 'vitest';
import { testDatabases } from '../../testing/databases.js';
import { startTestServer, type TestServer } from '../../testing/harness.js';

describe.each(testDatabases())('stored times on $name', (factory) => {
  let server: TestServer | undefined;
  afterEach(async () => server?.close());

  it('follow the injected clock: a user, a workspace membership, a client and their updates', async () => {
    server = await startTestServer(factory);
    const { stores } = server.gatehouse.deps;
    server.clock.advance(10 * 86400);
    const thaw = server.clock.freeze();
    try {
      const at = server.clock.now();
      expect(Math.abs(at - Math.floor(Date.now() / 1000))).toBeGreaterThan(86400);
      const user = await stores.createUser({ username: `clock-${at}`, passwordHash: 'x' });
      expect(user.createdAt).toBe(at);
      const workspace = await stores.createWorkspace({ name: 'Clock', slug: `clock-${at}`, ownerUserId: user.id });
      expect(workspace.createdAt).toBe(at);
      expect((await stores.listMembers(workspace.id))[0]!.joinedAt).toBe(at);
      const { client } = await server.app();
      expect(client.createdAt).toBe(at);
      server.clock.advance(5);
      expect((await stores.updateUser(user.id, { name: 'Later' }))!.updatedAt).toBe(at + 5);
      expect((await stores.updateClient(client.id, { name: 'Later' }))!.updatedAt).toBe(at + 5);
    } finally {
      thaw();
      server.clock.advance(-10 * 86400);
    }
  });
});
