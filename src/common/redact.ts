/** Tanium API tokens look like `token-` followed by a long run of word characters. */
export const TOKEN_PATTERN = /token-\w{8,}/g;

export const REDACTED = '[REDACTED]';

/** Replaces every token-shaped substring, keeping the `token-` prefix so a reader knows what was there. */
export function redactTokens(text: string): string {
  return text.replace(TOKEN_PATTERN, `token-${REDACTED}`);
}
