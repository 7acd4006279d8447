import { UserError } from '../common/userError.js';

/** Tanium's token strings are `token-` and a few dozen hex digits; 4 KiB leaves room for any format. */
export const MAX_TOKEN_BYTES = 4096;

/**
 * Refuses what cannot be a token before it is stored: whitespace or control characters inside it (a
 * pasted line break, two tokens on one line) or more than 4 KiB (a file piped by mistake). The reader
 * has already removed the one line break that ends piped input.
 */
export function validateTokenShape(token: string): string {
  if (Buffer.byteLength(token) > MAX_TOKEN_BYTES)
    throw new UserError(
      `Refusing the token: it is ${Buffer.byteLength(token).toLocaleString('en-US')} bytes, more than the ${MAX_TOKEN_BYTES.toLocaleString('en-US')} any API token has. Pipe the token alone.`,
      { code: 'token_invalid' },
    );
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what it finds
  if (/[\s\u0000-\u001f\u007f]/u.test(token))
    throw new UserError(
      'Refusing the token: it holds a space, line break or control character, which no API token has. Pipe the token alone, on one line.',
      { code: 'token_invalid' },
    );
  return token;
}
