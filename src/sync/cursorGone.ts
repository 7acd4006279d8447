import { GraphQLError } from '../sdk/index.js';

/** Expired (or unknown, after a server restart) cursors: the collection must be requested again. */
export function isCursorGone(error: unknown): boolean {
  if (error instanceof GraphQLError) {
    const text = error.messages.join(' ');
    return /cursor/i.test(text) && /expired|invalid|unknown|not found/i.test(text);
  }
  return (error as { kind?: unknown } | null)?.kind === 'stalled-cursor';
}
