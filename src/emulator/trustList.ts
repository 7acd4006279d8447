import { BlockList, isIP } from 'node:net';
import { badBody } from './httpError.js';

/**
 * Trusted client addresses for API tokens: IPv4 and IPv6 addresses and CIDR ranges,
 * separated by commas or line breaks (Tanium's console accepts both). `0.0.0.0/0` admits
 * every caller, IPv6 included, as Tanium documents it as "enable any system".
 */
export class TrustList {
  readonly entries: readonly string[];
  readonly #list = new BlockList();
  readonly #any: boolean;

  private constructor(entries: string[]) {
    this.entries = entries;
    let any = false;
    for (const entry of entries) {
      const [address, prefixText] = entry.split('/') as [string, string | undefined];
      const family = isIP(address) === 6 ? 'ipv6' : 'ipv4';
      if (prefixText === undefined) this.#list.addAddress(address, family);
      else {
        const prefix = Number(prefixText);
        if (prefix === 0) any = true;
        this.#list.addSubnet(address, prefix, family);
      }
    }
    this.#any = any;
  }

  /** Parses and validates a list; an invalid entry is a 400 that names it. */
  static parse(text: string | readonly string[] | undefined): TrustList {
    const raw = text === undefined ? [] : typeof text === 'string' ? text.split(/[,\r\n]+/) : [...text];
    const entries = raw.map((entry) => entry.trim()).filter((entry) => entry.length > 0);
    for (const entry of entries) validateEntry(entry);
    return new TrustList(entries);
  }

  admits(clientAddress: string): boolean {
    if (this.#any) return true;
    const address = unmapIPv4(clientAddress);
    const family = isIP(address);
    if (family === 0) return false;
    return this.#list.check(address, family === 6 ? 'ipv6' : 'ipv4');
  }

  /** Tanium's REST form: one comma-separated string. */
  toString(): string {
    return this.entries.join(',');
  }
}

function validateEntry(entry: string): void {
  const parts = entry.split('/');
  const address = parts[0] ?? '';
  const family = isIP(address);
  const invalid = () =>
    badBody(
      `"${entry}" is not an IPv4 or IPv6 address or CIDR range (for example 203.0.113.7 or 198.51.100.0/24)`,
    );
  if (family === 0 || parts.length > 2) throw invalid();
  if (parts.length === 2) {
    const prefixText = parts[1] ?? '';
    const max = family === 4 ? 32 : 128;
    if (!/^\d{1,3}$/.test(prefixText) || Number(prefixText) > max) throw invalid();
  }
}

/** A peer seen on a dual-stack socket as `::ffff:127.0.0.1` is the IPv4 client 127.0.0.1. */
export function unmapIPv4(address: string): string {
  const match = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  return match?.[1] ?? address;
}
