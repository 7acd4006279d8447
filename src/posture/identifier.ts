import { isIP } from 'node:net';
import { Problem } from '../common/problem.js';
import type { LookupKey } from '../store/posture.js';

/** One identifier to look up under one key, spelled every way the store may hold it. */
export interface Lookup {
  key: LookupKey;
  values: string[];
}

const MAX_LENGTH = 255;
const HEX12 = /^[0-9a-f]{12}$/;

export function invalidDevice(message: string): Problem {
  return new Problem({
    code: 'invalid_device',
    kind: 'invalid',
    message,
    fix: 'Give a serial number, computer ID, Tanium endpoint id, host name, MAC address or IP address.',
  });
}

/** A MAC address in any common spelling (aa:bb:…, AA-BB-…, aabb.ccdd.eeff, aabbccddeeff), as 12 hex digits. */
export function macDigits(text: string): string | undefined {
  const digits = text.toLowerCase().replace(/[:.-]/g, '');
  return HEX12.test(digits) &&
    /^[0-9a-f]{2}([:-]?[0-9a-f]{2}){5}$|^[0-9a-f]{4}(\.[0-9a-f]{4}){2}$/i.test(text)
    ? digits
    : undefined;
}

/**
 * The lookups for a device identifier: under the key given, or, without one, under every key the
 * identifier can be (a MAC address only as a MAC, an IP address only as an IP, anything else as a
 * serial number, computer ID, endpoint id or host name). Throws `invalid_device` for input no key takes.
 */
export function lookupsFor(device: string, by?: LookupKey): Lookup[] {
  const text = device.trim();
  if (text === '' || text.length > MAX_LENGTH || hasControl(text))
    throw invalidDevice(`The device identifier must be 1 to ${MAX_LENGTH} printable characters.`);
  const mac = macDigits(text);
  const ip = isIP(text) !== 0;
  if (by === 'mac' && !mac)
    throw invalidDevice(`"${text}" is not a MAC address (12 hex digits, e.g. aa:bb:cc:dd:ee:ff).`);
  if (by === 'ip' && !ip) throw invalidDevice(`"${text}" is not an IPv4 or IPv6 address.`);
  if (by === 'mac' || (by === undefined && mac)) return [macLookup(mac!)];
  if (by === 'ip' || (by === undefined && ip)) return [{ key: 'ip', values: [text.toLowerCase()] }];
  const host = text.replace(/\.$/, '');
  if (by === 'hostname') return [{ key: 'hostname', values: [host] }];
  if (by !== undefined) return [{ key: by, values: [text] }];
  return [
    { key: 'serial', values: [text] },
    { key: 'computer-id', values: [text] },
    { key: 'eid', values: [text] },
    { key: 'hostname', values: [host] },
  ];
}

function macLookup(digits: string): Lookup {
  const pairs = digits.match(/../g)!;
  return { key: 'mac', values: [pairs.join(':'), pairs.join('-'), digits] };
}

function hasControl(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < 0x20 || code === 0x7f) return true;
  }
  return false;
}
