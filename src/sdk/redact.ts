/**
 * Secret redaction. Every error message, Tanium `text`, path and cause passes through here before an
 * error object is built, so nothing that is logged, serialized or shown can carry a token.
 */

export const REDACTED = '[REDACTED]';

/** Tanium API tokens: `token-` then hex (length 64-1024); anything token-shaped is treated as one. */
const TOKEN_SHAPED = /token-\w{8,}/gi;
/** Login session strings (`1-224-<64 hex>`) authenticate just like tokens. */
const SESSION_SHAPED = /\b\d+-\d+-[0-9a-f]{32,}\b/gi;
/** A `session` header or field written out in text: `session: x`, `"session":"x"`, `session=x`. */
const SESSION_FIELD = /(\bsession\b"?\s*[:=]\s*"?)([^\s",;}]+)/gi;
/** Anything shorter is not a real secret; replacing it everywhere would garble messages. */
const MIN_KNOWN_SECRET = 4;

/**
 * Replace token-shaped strings, `session` header values and each of `knownSecrets` (also in their
 * URL-encoded form) with `[REDACTED]`.
 */
export function redactSecrets(text: string, knownSecrets: readonly string[] = []): string {
  let out = text;
  for (const secret of knownSecrets) {
    if (secret.length < MIN_KNOWN_SECRET) continue;
    out = out.split(secret).join(REDACTED);
    const encoded = encodeURIComponent(secret);
    if (encoded !== secret) out = out.split(encoded).join(REDACTED);
  }
  return out
    .replace(TOKEN_SHAPED, REDACTED)
    .replace(SESSION_SHAPED, REDACTED)
    .replace(SESSION_FIELD, (_match, prefix: string, value: string) =>
      value === REDACTED ? `${prefix}${value}` : `${prefix}${REDACTED}`,
    );
}

/** Redact an optional string, keeping `undefined`. */
export function redactOptional(text: string | undefined, knownSecrets: readonly string[] = []) {
  return text === undefined ? undefined : redactSecrets(text, knownSecrets);
}
