/**
 * What a loopback URI is, for the redirect check, client registration and the issuer setting.
 *
 * The rule (RFC 8252 §7.3, §8.3; OAuth 2.1 draft §8.4.2):
 * - The loopback hosts are the IP literals `127.0.0.1` and `[::1]` and the name `localhost`.
 *   Plain `http` is allowed on them (redirect URIs, an app's homepage and logo, the issuer in
 *   development): the request never leaves the device (RFC 8252 §8.3). `localhost` is NOT
 *   RECOMMENDED for redirect URIs (§8.3, OAuth 2.1 §8.4.2) but is accepted, as it functions
 *   like the IP literals. Other addresses of 127.0.0.0/8 are not loopback here: the specs name
 *   `127.0.0.1`.
 * - A registered `http` redirect URI on a loopback host matches a presented one with the same
 *   host, path and query on any port (RFC 8252 §7.3: the server MUST allow any port for
 *   loopback IP redirect URIs). `localhost` gets the same freedom: native apps and MCP clients
 *   register `http://localhost/callback` and listen on an ephemeral port per run, and since
 *   `localhost` is accepted at all it must work the way its users need. Hosts are never
 *   interchanged (`localhost` does not admit `127.0.0.1`); `https` matches exactly.
 * Hosts are compared as the URL parser normalises them (`http://127.1/` is `127.0.0.1`,
 * `http://[0:0::1]/` is `[::1]`, `LOCALHOST` is `localhost`).
 */

export const LOOPBACK_IP_LITERALS = ['127.0.0.1', '[::1]'] as const;

/** In the order messages name them. */
export const LOOPBACK_HOSTS: readonly string[] = ['localhost', ...LOOPBACK_IP_LITERALS];

/** "localhost, 127.0.0.1 and [::1]", for messages and help texts. */
export const LOOPBACK_HOSTS_TEXT = `${LOOPBACK_HOSTS.slice(0, -1).join(', ')} and ${LOOPBACK_HOSTS.at(-1)}`;

const loopbackHosts: ReadonlySet<string> = new Set(LOOPBACK_HOSTS);

/** Hosts whose `http` redirect URIs match on any port. */
const PORT_FREE_HOSTS: ReadonlySet<string> = loopbackHosts;

/** A URL on a loopback host, where `http` is allowed. */
export const isLoopback = (url: URL): boolean => loopbackHosts.has(url.hostname);

/**
 * The redirect URI with its port removed when its port may vary (an `http` URI on a loopback
 * host), so that two such URIs compare equal on any port; undefined for any other URI.
 */
export function withoutFreePort(uri: string): string | undefined {
  let url: URL;
  try {
    url = new URL(uri);
  } catch {
    return undefined;
  }
  if (url.protocol !== 'http:' || !PORT_FREE_HOSTS.has(url.hostname)) return undefined;
  url.port = '';
  return url.href;
}
