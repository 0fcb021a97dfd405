/**
 * The client's address, for sign-in throttling: the socket's peer, unless that peer is a
 * configured trusted proxy (`GATEHOUSE_TRUSTED_PROXIES`), in which case `X-Forwarded-For` is read
 * from the right and the first address that is not a trusted proxy is the client's. Entries to
 * its left were written by the client and prove nothing. (RFC 7239 §5.2 describes the same chain
 * for `Forwarded`, which is not read.)
 */
import { getConnInfo } from '@hono/node-server/conninfo';
import type { Context } from 'hono';
import { BlockList, isIP } from 'node:net';

const MAX_FORWARDED_HOPS = 32;

/** `::ffff:192.0.2.1` → `192.0.2.1`, so IPv4 rules match the dual-stack form too. */
function normalize(address: string): string {
  const mapped = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i.exec(address);
  return mapped ? mapped[1]! : address;
}

/** Builds the matcher for `IP` and `IP/prefix` entries (validated by config); throws on a malformed one. */
export function trustedProxyList(entries: readonly string[]): BlockList {
  const list = new BlockList();
  for (const entry of entries) {
    const [address, prefix] = entry.split('/');
    const family = isIP(address ?? '');
    if (family === 0) throw new Error(`not an IP address or CIDR range: ${entry}`);
    const type = family === 4 ? 'ipv4' : 'ipv6';
    if (prefix === undefined) list.addAddress(address!, type);
    else list.addSubnet(address!, Number(prefix), type);
  }
  return list;
}

function isTrusted(list: BlockList, address: string): boolean {
  const family = isIP(address);
  return family !== 0 && list.check(address, family === 4 ? 'ipv4' : 'ipv6');
}

/** The address the socket's peer gives, and the forwarded chain; no Node socket (an in-memory request) → `unknown`. */
export function resolveClientAddress(peer: string | undefined, forwardedFor: string | undefined, trusted: BlockList | undefined): string {
  let client = peer ? normalize(peer) : 'unknown';
  if (!trusted || !forwardedFor || !isTrusted(trusted, client)) return client;
  const hops = forwardedFor.split(',').slice(-MAX_FORWARDED_HOPS);
  for (let i = hops.length - 1; i >= 0; i--) {
    const hop = normalize(hops[i]!.trim());
    // A hop that is not an address: stop at the last one a trusted proxy vouched for.
    if (isIP(hop) === 0) return client;
    client = hop;
    if (!isTrusted(trusted, hop)) return hop;
  }
  return client;
}

const compiled = new WeakMap<readonly string[], BlockList>();

/** The client's address for this request, with the proxy list compiled once per configuration. */
export function clientAddress(c: Context, trustedProxies: readonly string[]): string {
  let peer: string | undefined;
  try {
    peer = getConnInfo(c).remote.address;
  } catch {
    peer = undefined;
  }
  if (trustedProxies.length === 0) return peer ? normalize(peer) : 'unknown';
  let list = compiled.get(trustedProxies);
  if (!list) {
    list = trustedProxyList(trustedProxies);
    compiled.set(trustedProxies, list);
  }
  return resolveClientAddress(peer, c.req.header('x-forwarded-for'), list);
}
