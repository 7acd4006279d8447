import { redactTokens } from '../common/redact.js';
import { UserError } from '../common/userError.js';

export const DEFAULT_CONNECTION = 'default';

/** Lower-case letters, digits, `_` and `-`, starting with a letter or digit, at most 63 characters. */
const NAME = /^[a-z0-9][a-z0-9_-]{0,62}$/;

export function validateConnectionName(name: string): string {
  if (!NAME.test(name))
    throw new UserError(
      `Invalid connection name "${redactTokens(name.slice(0, 80))}": use 1 to 63 lower-case letters, digits, "_" or "-", starting with a letter or digit.`,
    );
  return name;
}
