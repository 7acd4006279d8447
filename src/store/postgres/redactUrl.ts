/** What a redacted password reads as, in URLs and in messages. */
const MASK = '***';

/** The URL with its password (if any) masked: the only form of a database URL ever shown or logged. */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password !== '') parsed.password = MASK;
    return parsed.toString();
  } catch {
    // Not parseable (a password may hold a raw `/` or `#`): mask everything between the user's colon
    // and the last `@`, which is where the host begins in any form a user could have meant.
    return url.replace(/\/\/([^:/@]*):.*@/s, `//$1:${MASK}@`);
  }
}

/**
 * The error with every occurrence of `secret` masked in its message and stack. pg's own errors do not
 * quote the password, but a driver message that echoes the connection string would, so every error
 * leaving the PostgreSQL store passes through here.
 */
export function scrubError(error: unknown, secret: string | undefined): unknown {
  if (!secret || !(error instanceof Error)) return error;
  const scrub = (text: string) => text.split(secret).join(MASK);
  if (error.message.includes(secret)) error.message = scrub(error.message);
  if (error.stack?.includes(secret)) error.stack = scrub(error.stack);
  return error;
}
