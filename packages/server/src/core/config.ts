/** The settings the protocol engine reads. `src/config` builds them from flags, env and defaults. */
export interface CoreConfig {
  /** No trailing slash. */
  issuer: string;
  prefixes: {
    accessToken: string;
    refreshToken: string;
    authorizationCode: string;
    clientSecret: string;
  };
  /** Seconds. */
  lifetimes: {
    authorizationCode: number;
    accessToken: number;
    refreshToken: number;
    /** Absolute cap on a refresh token family, however often it is renewed. */
    refreshFamily: number;
    idToken: number;
    session: number;
    interaction: number;
  };
  /** Seconds during which a rotated-out refresh token returns its successor instead of tripping reuse detection; 0 disables. */
  refreshGraceSeconds: number;
  signupEnabled: boolean;
  /** Encrypts private signing keys at rest when set. */
  keySecret: string | undefined;
  /** IPs and CIDR ranges of reverse proxies whose `X-Forwarded-For` names the client (sign-in throttling); empty: the socket's peer is the client. */
  trustedProxies: readonly string[];
}

export const defaultCoreConfig = (issuer: string): CoreConfig => ({
  issuer,
  prefixes: { accessToken: 'gat_', refreshToken: 'grt_', authorizationCode: 'gac_', clientSecret: 'gcs_' },
  lifetimes: {
    authorizationCode: 60,
    accessToken: 3600,
    refreshToken: 30 * 86400,
    refreshFamily: 365 * 86400,
    idToken: 3600,
    session: 14 * 86400,
    interaction: 30 * 60,
  },
  refreshGraceSeconds: 60,
  signupEnabled: true,
  keySecret: undefined,
  trustedProxies: [],
});

/** No access token lives longer than this (server default and per-client lifetimes are capped at it). */
export const ACCESS_TOKEN_TTL_MAX = 7 * 86_400;
