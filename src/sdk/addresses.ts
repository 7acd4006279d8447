/**
 * Address classification for the outbound allow-list. A Tanium Cloud host must resolve to public
 * addresses only; IPv6 has several standard ways of carrying an IPv4 address, and each of them must be
 * judged by the IPv4 address it carries, or `64:ff9b::a00:1` (NAT64 for 10.0.0.1) would pass as public.
 */
import { BlockList, isIP } from 'node:net';

/** Private, loopback, link-local, CGNAT, multicast, reserved and unspecified IPv4 ranges. */
const NON_PUBLIC_V4: readonly (readonly [string, number])[] = [
  ['0.0.0.0', 8], // "this network", includes the unspecified 0.0.0.0
  ['10.0.0.0', 8],
  ['100.64.0.0', 10], // CGNAT
  ['127.0.0.0', 8],
  ['169.254.0.0', 16], // link-local, cloud metadata services
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['224.0.0.0', 4], // multicast
  ['240.0.0.0', 4], // reserved and broadcast
];

/** IPv6 ranges that are never a public Tanium Cloud address in themselves. */
const NON_PUBLIC_V6: readonly (readonly [string, number])[] = [
  ['::', 128], // unspecified
  ['::1', 128],
  ['64:ff9b:1::', 48], // NAT64 for local use (RFC 8215): translates to addresses inside a network
  ['100::', 64], // discard-only
  ['2001:db8::', 32], // documentation
  ['fc00::', 7], // unique-local
  ['fe80::', 10], // link-local
  ['fec0::', 10], // site-local (deprecated, still routed inside some networks)
  ['ff00::', 8], // multicast
];

const NON_PUBLIC = new BlockList();
for (const [net, prefix] of NON_PUBLIC_V4) NON_PUBLIC.addSubnet(net, prefix, 'ipv4');
for (const [net, prefix] of NON_PUBLIC_V6) NON_PUBLIC.addSubnet(net, prefix, 'ipv6');

const LOOPBACK_V4 = new BlockList();
LOOPBACK_V4.addSubnet('127.0.0.0', 8, 'ipv4');

/** How an IPv6 address carries an IPv4 one. */
export type Embedding = 'mapped' | 'compatible' | 'nat64' | '6to4' | 'teredo';

export interface EmbeddedIPv4 {
  embedding: Embedding;
  ipv4: string;
}

/** `[::1]` → `::1`, `fe80::1%eth0` → `fe80::1`: the address without URL brackets or a zone. */
function bare(address: string): string {
  const unbracketed = address.replace(/^\[|\]$/g, '');
  const zone = unbracketed.indexOf('%');
  return zone === -1 ? unbracketed : unbracketed.slice(0, zone);
}

/** The eight 16-bit groups of a valid IPv6 address (a trailing dotted quad becomes two groups). */
function groups(address: string): number[] {
  let text = address.toLowerCase();
  const dotted = /(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(text);
  if (dotted) {
    const [a, b, c, d] = dotted.slice(1).map(Number) as [number, number, number, number];
    text = `${text.slice(0, dotted.index)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head = '', tail] = text.split('::');
  const left = head === '' ? [] : head.split(':');
  const right = tail === undefined || tail === '' ? [] : tail.split(':');
  const middle = tail === undefined ? [] : Array<string>(8 - left.length - right.length).fill('0');
  return [...left, ...middle, ...right].map((group) => Number.parseInt(group, 16));
}

function ipv4Of(high: number, low: number): string {
  return [high >> 8, high & 0xff, low >> 8, low & 0xff].join('.');
}

const allZero = (values: readonly number[]) => values.every((value) => value === 0);

/**
 * The IPv4 address an IPv6 address carries, if it is one of the standard embeddings: IPv4-mapped
 * (`::ffff:a.b.c.d`), IPv4-compatible (`::a.b.c.d`, deprecated), NAT64 well-known prefix
 * (`64:ff9b::/96`), 6to4 (`2002:AABB:CCDD::/48`) and Teredo (`2001:0::/32`, client address inverted).
 */
export function embeddedIPv4(address: string): EmbeddedIPv4 | undefined {
  const text = bare(address);
  if (isIP(text) !== 6) return undefined;
  const g = groups(text) as [number, number, number, number, number, number, number, number];
  if (allZero(g.slice(0, 5)) && g[5] === 0xffff) return { embedding: 'mapped', ipv4: ipv4Of(g[6], g[7]) };
  if (allZero(g.slice(0, 6)) && !allZero(g.slice(6)) && !(g[6] === 0 && g[7] === 1)) {
    return { embedding: 'compatible', ipv4: ipv4Of(g[6], g[7]) };
  }
  if (g[0] === 0x64 && g[1] === 0xff9b && allZero(g.slice(2, 6))) {
    return { embedding: 'nat64', ipv4: ipv4Of(g[6], g[7]) };
  }
  if (g[0] === 0x2002) return { embedding: '6to4', ipv4: ipv4Of(g[1], g[2]) };
  if (g[0] === 0x2001 && g[1] === 0) {
    return { embedding: 'teredo', ipv4: ipv4Of(g[6] ^ 0xffff, g[7] ^ 0xffff) };
  }
  return undefined;
}

/**
 * True for any address a Cloud host must never resolve to, or for text that is not an address. An
 * IPv6 address that carries an IPv4 address (mapped, compatible, NAT64, 6to4, Teredo) is judged by
 * that IPv4 address as well: NAT64 for 10.0.0.1 reaches 10.0.0.1.
 */
export function isNonPublicAddress(address: string): boolean {
  const text = bare(address);
  const family = isIP(text);
  if (family === 4) return NON_PUBLIC.check(text, 'ipv4');
  if (family !== 6) return true;
  if (NON_PUBLIC.check(text, 'ipv6')) return true;
  const carried = embeddedIPv4(text);
  return carried !== undefined && NON_PUBLIC.check(carried.ipv4, 'ipv4');
}

/**
 * True for 127.0.0.0/8, ::1 and the IPv4-mapped form of 127.0.0.0/8 (which the local stack treats as
 * IPv4 loopback). NAT64, 6to4 and compatible forms of 127.0.0.1 are not loopback: they leave the machine.
 */
export function isLoopbackAddress(address: string): boolean {
  const text = bare(address);
  const family = isIP(text);
  if (family === 4) return LOOPBACK_V4.check(text, 'ipv4');
  if (family !== 6) return false;
  const g = groups(text);
  if (allZero(g.slice(0, 7)) && g[7] === 1) return true;
  const carried = embeddedIPv4(text);
  return carried?.embedding === 'mapped' && LOOPBACK_V4.check(carried.ipv4, 'ipv4');
}
