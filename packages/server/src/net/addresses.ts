/**
 * Which IP addresses an outbound fetch of a client-supplied URL may connect to. A client ID
 * metadata document must not be fetched from a special-use address (RFC 6890;
 * draft-ietf-oauth-client-id-metadata-document, "Server Side Request Forgery (SSRF) Attacks"):
 * otherwise a `client_id` could make the server call its own loopback, the cloud metadata
 * service (169.254.169.254) or the intranet.
 *
 * IPv4 is a denylist of the special-purpose ranges. IPv6 is an allowlist, global unicast
 * (2000::/3) only, less its special-purpose blocks, so unique-local, link-local, multicast,
 * loopback and unspecified addresses (and whatever is assigned later outside 2000::/3) fail
 * closed. An IPv6 address that embeds an IPv4 one (IPv4-mapped ::ffff:0:0/96, NAT64 64:ff9b::/96)
 * is judged by the IPv4 address it reaches.
 */
import { isIPv4, isIPv6 } from 'node:net';

type Range = readonly [base: bigint, prefix: number];

/** RFC 6890 and the IANA IPv4 Special-Purpose Address Registry. */
const IPV4_SPECIAL: readonly string[] = [
  '0.0.0.0/8', // "this network", including the unspecified address
  '10.0.0.0/8', // private (RFC 1918)
  '100.64.0.0/10', // shared address space, carrier-grade NAT (RFC 6598)
  '127.0.0.0/8', // loopback
  '169.254.0.0/16', // link-local, including cloud metadata services
  '172.16.0.0/12', // private
  '192.0.0.0/24', // IETF protocol assignments
  '192.0.2.0/24', // documentation (TEST-NET-1)
  '192.88.99.0/24', // 6to4 relay anycast (deprecated)
  '192.168.0.0/16', // private
  '198.18.0.0/15', // benchmarking
  '198.51.100.0/24', // documentation (TEST-NET-2)
  '203.0.113.0/24', // documentation (TEST-NET-3)
  '224.0.0.0/4', // multicast
  '240.0.0.0/4', // reserved, including the limited broadcast address
];

/** Special-purpose blocks inside 2000::/3 (IANA IPv6 Special-Purpose Address Registry). */
const IPV6_SPECIAL_GLOBAL: readonly string[] = [
  '2001::/23', // IETF protocol assignments (Teredo, ORCHID, …)
  '2001:db8::/32', // documentation
  '2002::/16', // 6to4, which embeds an IPv4 address of any kind
  '3fff::/20', // documentation (RFC 9637)
];

const GLOBAL_UNICAST: Range = [0x2n << 124n, 3];
const IPV4_MAPPED: Range = [0xffffn << 32n, 96];
const NAT64: Range = [0x64ff9bn << 96n, 96];

function ipv4ToBigInt(address: string): bigint {
  return address.split('.').reduce((value, octet) => (value << 8n) | BigInt(Number(octet)), 0n);
}

/** The 128 bits of an IPv6 address (with `::` and an optional trailing dotted quad), or undefined. */
function ipv6ToBigInt(address: string): bigint | undefined {
  let text = address;
  const lastColon = text.lastIndexOf(':');
  if (text.includes('.', lastColon)) {
    // A trailing dotted quad (::ffff:127.0.0.1) stands for the last two groups.
    const quad = text.slice(lastColon + 1);
    if (!isIPv4(quad)) return undefined;
    const value = ipv4ToBigInt(quad);
    text = `${text.slice(0, lastColon + 1)}${(value >> 16n).toString(16)}:${(value & 0xffffn).toString(16)}`;
  }
  const halves = text.split('::');
  if (halves.length > 2) return undefined;
  const parse = (part: string | undefined): bigint[] => (part ? part.split(':').map((group) => BigInt(`0x${group}`)) : []);
  const head = parse(halves[0]);
  const tail = parse(halves[1]);
  const missing = 8 - head.length - tail.length;
  if (halves.length === 1 ? missing !== 0 : missing < 0) return undefined;
  const groups = [...head, ...Array<bigint>(missing).fill(0n), ...tail];
  return groups.reduce((value, group) => (value << 16n) | group, 0n);
}

function parseRange(cidr: string, bits: number): Range {
  const [base = '', prefix = ''] = cidr.split('/');
  const value = bits === 32 ? ipv4ToBigInt(base) : ipv6ToBigInt(base);
  if (value === undefined) throw new Error(`bad range ${cidr}`);
  return [value, Number(prefix)];
}

const inRange = (value: bigint, [base, prefix]: Range, bits: number): boolean => {
  const shift = BigInt(bits - prefix);
  return value >> shift === base >> shift;
};

const ipv4Special = IPV4_SPECIAL.map((cidr) => parseRange(cidr, 32));
const ipv6Special = IPV6_SPECIAL_GLOBAL.map((cidr) => parseRange(cidr, 128));

const publicIPv4 = (value: bigint): boolean => !ipv4Special.some((range) => inRange(value, range, 32));

/**
 * True when `address` (an IP address as DNS returns it: no brackets) is a public unicast address
 * that a fetch may connect to. Anything unparsable, and any IPv6 address with a zone index, is not.
 */
export function isPublicAddress(address: string): boolean {
  if (isIPv4(address)) return publicIPv4(ipv4ToBigInt(address));
  if (!isIPv6(address) || address.includes('%')) return false;
  const value = ipv6ToBigInt(address);
  if (value === undefined) return false;
  if (inRange(value, IPV4_MAPPED, 128) || inRange(value, NAT64, 128)) return publicIPv4(value & 0xffffffffn);
  return inRange(value, GLOBAL_UNICAST, 128) && !ipv6Special.some((range) => inRange(value, range, 128));
}
