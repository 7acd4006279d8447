/** Always this many bullets, whatever the token's length, so the mask does not reveal the length. */
export const MASK_BULLETS = 8;
/** Tokens shorter than this show bullets only, so the last 4 are never most of the token. */
const MIN_LENGTH_TO_REVEAL = 12;

/**
 * The workflow integration guide's masked token: bullet characters plus the token's last 4 characters,
 * e.g. `••••••••a1b2`. Never returns more than 4 characters of the token.
 */
export function maskToken(token: string): string {
  const bullets = '•'.repeat(MASK_BULLETS);
  const chars = Array.from(token);
  return chars.length < MIN_LENGTH_TO_REVEAL ? bullets : bullets + chars.slice(-4).join('');
}
