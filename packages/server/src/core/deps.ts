import type { CoreConfig } from './config.js';
import type { KeyRing } from './keys/keyring.js';
import type { SignInThrottle } from './sign-in.js';
import type { Stores } from './stores.js';

/** Everything an endpoint needs, passed explicitly: no module-level state. */
export interface CoreDeps {
  stores: Stores;
  config: CoreConfig;
  keys: KeyRing;
  /** Unix seconds; injected so lifetimes are testable without sleeping. */
  now: () => number;
  /** Failed password sign-ins per (account, client address) and per address (in-memory: per process). */
  signInThrottle: SignInThrottle;
}
