import type { CoreDeps } from '../deps.js';

/**
 * What a management service needs: the stores, the configuration and the clock. A part of
 * `CoreDeps`, so the console passes its own deps and the CLI builds just these three.
 */
export type ManageDeps = Pick<CoreDeps, 'stores' | 'config' | 'now'>;
