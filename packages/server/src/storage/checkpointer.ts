/**
 * SQLite WAL checkpoints on a thread of their own. A checkpoint copies the pages written to the
 * WAL back into the database file and syncs both; run by the commit that crosses
 * `wal_autocheckpoint`, it stalls every request waiting on the event loop for tens of
 * milliseconds. Here a second connection, in a worker thread, checkpoints PASSIVE (never waiting
 * on a reader or the writer) every `everyMs`, so when the main connection's automatic checkpoint
 * does come due, little is left for it to copy. It stays on because only a checkpoint that finds
 * the WAL fully copied lets the next write start the WAL again from its beginning
 * (https://www.sqlite.org/wal.html#application_initiated_checkpoints).
 */
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

// CommonJS evaluated as is: the same under vitest (TypeScript sources) and from dist.
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.path);
db.pragma('busy_timeout = 1000');
const timer = setInterval(() => {
  try { db.pragma('wal_checkpoint(PASSIVE)'); } catch {}
}, workerData.everyMs);
parentPort.on('message', () => {
  clearInterval(timer);
  db.close();
  parentPort.close();
});
`;

export interface Checkpointer {
  stop(): Promise<void>;
}

export function startCheckpointer(path: string, everyMs = 200): Checkpointer {
  const driver = createRequire(import.meta.url).resolve('better-sqlite3');
  const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { path, everyMs, driver } });
  // The main connection's own checkpoints remain if this thread cannot run.
  worker.on('error', () => {});
  worker.unref();
  const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
  return {
    async stop() {
      // Held while it ends: an unreferenced thread would let the process exit mid-await.
      worker.ref();
      worker.postMessage('stop');
      await exited;
    },
  };
}
