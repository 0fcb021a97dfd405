/**
 * Client authentication reads the client and its secrets on every token, introspection and
 * revocation request. This decorator keeps them in memory for `ttlMs`: writes through it take
 * effect at once, writes by another instance or the CLI within that time. Unknown ids are not
 * remembered, so a client created elsewhere is usable at once.
 */
import type { Client, ClientSecret } from '../../core/model.js';
import type { ClientStore } from '../../core/stores.js';

const MAX_ENTRIES = 10_000;

export function cachedClients(store: ClientStore, ttlMs: number): ClientStore {
  if (ttlMs <= 0) return store;
  const entries = new Map<string, { client: Client; secrets?: ClientSecret[]; until: number }>();
  const cached = (id: string) => {
    const entry = entries.get(id);
    if (entry && entry.until > Date.now()) return entry;
    if (entry) entries.delete(id);
    return undefined;
  };
  /** Forgotten before and after a write: a read racing the write must not re-cache the old row. */
  const around = async <T>(id: string, write: () => Promise<T>): Promise<T> => {
    entries.delete(id);
    try {
      return await write();
    } finally {
      entries.delete(id);
    }
  };

  return {
    ...store,
    async findClient(id) {
      const entry = cached(id);
      if (entry) return entry.client;
      const client = await store.findClient(id);
      if (client) {
        if (entries.size >= MAX_ENTRIES) entries.clear();
        entries.set(id, { client, until: Date.now() + ttlMs });
      }
      return client;
    },
    async listActiveSecrets(clientId, now) {
      const entry = cached(clientId);
      if (entry?.secrets) return entry.secrets.filter((secret) => secret.expiresAt === null || secret.expiresAt > now);
      const secrets = await store.listActiveSecrets(clientId, now);
      if (entry) entry.secrets = secrets;
      return secrets;
    },
    updateClient: (id, patch) => around(id, () => store.updateClient(id, patch)),
    deleteClient: (id, now) => around(id, () => store.deleteClient(id, now)),
    rotateSecret: (clientId, secret, graceUntil) => around(clientId, () => store.rotateSecret(clientId, secret, graceUntil)),
  };
}
