/**
 * Just enough DER (ITU-T X.690) to write one self-signed X.509 certificate: Node can parse and verify
 * certificates (`X509Certificate`) but not create them, and the emulator takes no dependency for it.
 */
function length(n: number): Buffer {
  if (n < 0x80) return Buffer.from([n]);
  const bytes: number[] = [];
  for (let v = n; v > 0; v = Math.floor(v / 256)) bytes.unshift(v % 256);
  return Buffer.from([0x80 | bytes.length, ...bytes]);
}

export const tlv = (tag: number, ...content: Buffer[]): Buffer => {
  const body = Buffer.concat(content);
  return Buffer.concat([Buffer.from([tag]), length(body.length), body]);
};

export const sequence = (...items: Buffer[]) => tlv(0x30, ...items);
export const set = (...items: Buffer[]) => tlv(0x31, ...items);
export const utf8 = (text: string) => tlv(0x0c, Buffer.from(text, 'utf8'));
export const bitString = (bytes: Buffer) => tlv(0x03, Buffer.from([0]), bytes);
export const explicit = (n: number, inner: Buffer) => tlv(0xa0 + n, inner);

export function integer(bytes: Buffer): Buffer {
  // Positive: a leading 0 when the high bit is set.
  return tlv(0x02, bytes[0]! & 0x80 ? Buffer.concat([Buffer.from([0]), bytes]) : bytes);
}

export function oid(dotted: string): Buffer {
  const [a, b, ...rest] = dotted.split('.').map(Number) as [number, number, ...number[]];
  const out = [40 * a + b];
  for (const n of rest) {
    const chunk: number[] = [n & 0x7f];
    for (let v = n >>> 7; v > 0; v >>>= 7) chunk.unshift(0x80 | (v & 0x7f));
    out.push(...chunk);
  }
  return tlv(0x06, Buffer.from(out));
}

/** GeneralizedTime (RFC 5280 allows it for every date; UTCTime would stop at 2049). */
export function time(ms: number): Buffer {
  const iso = new Date(Math.floor(ms / 1000) * 1000).toISOString(); // 2026-12-01T12:00:00.000Z
  return tlv(0x18, Buffer.from(`${iso.slice(0, 19).replace(/[-:T]/g, '')}Z`, 'ascii'));
}
