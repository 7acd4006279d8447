/**
 * UTF-8 pieces that may cut a character, decoded without `TextDecoder`'s stream mode: in Node 20 that
 * mode leaves the simdutf path for ICU's converter, some six times the CPU of decoding whole pieces. A
 * character cut at the end of a piece is carried (its 1-3 bytes) to the next; bytes that are not UTF-8
 * become U+FFFD, as with `TextDecoder`, and a byte order mark is dropped only at the answer's start.
 */
export class Utf8Pieces {
  readonly #decoder = new TextDecoder('utf-8', { ignoreBOM: true });
  #carry: Uint8Array | undefined;
  #first = true;

  decode(bytes: Uint8Array): string {
    const all = this.#carry ? joinBytes(this.#carry, bytes) : bytes;
    const end = wholeCharacters(all);
    // A copy: `all` may be the caller's chunk, and a Buffer's slice is a view of memory it may reuse.
    this.#carry = end < all.length ? new Uint8Array(all.subarray(end)) : undefined;
    return this.#text(all.subarray(0, end));
  }

  /** What is left: a character cut by the answer's end becomes U+FFFD. */
  end(): string {
    const rest = this.#carry ?? new Uint8Array(0);
    this.#carry = undefined;
    return this.#text(rest);
  }

  #text(bytes: Uint8Array): string {
    const text = this.#decoder.decode(bytes);
    if (!this.#first || text === '') return text;
    this.#first = false;
    return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  }
}

function joinBytes(a: Uint8Array, b: Uint8Array): Uint8Array {
  const joined = new Uint8Array(a.length + b.length);
  joined.set(a);
  joined.set(b, a.length);
  return joined;
}

/** The length of `bytes` without a character cut at its end (a lead byte short of its continuations). */
function wholeCharacters(bytes: Uint8Array): number {
  const n = bytes.length;
  for (let i = n - 1; i >= 0 && i >= n - 3; i--) {
    const b = bytes[i]!;
    if (b < 0x80) return n;
    if (b >= 0xc0) return n - i >= (b >= 0xf0 ? 4 : b >= 0xe0 ? 3 : 2) ? n : i;
    // A continuation byte (10xxxxxx): its lead byte is further back.
  }
  return n;
}
