import { UserError } from '../common/userError.js';

/** A TCP port from the command line: a whole number from 0 (any free port) to 65535. */
export function parsePort(text: string): number {
  if (!/^\d{1,5}$/.test(text.trim()) || Number(text) > 65_535) {
    throw new UserError(`Invalid port "${text}": use a whole number from 0 to 65535 (0 picks a free port).`);
  }
  return Number(text);
}
