import { GraphQLError } from '../sdk/index.js';
import type { StreamName, StreamOptions } from '../streams/stream.js';

/**
 * Fragile fields (reference 9): `risk`, the Comply `compliance` findings and sensors exist only on
 * some tenants. One combined query would fail as a whole when the Gateway refuses one of them, so the
 * refused part is taken out of the query and the rest goes on. Returns what to drop, or undefined when
 * the error is not about an optional part.
 */
export function isolateRefusal(
  error: unknown,
  active: readonly StreamName[],
  options: StreamOptions,
): { risk?: false; drop?: StreamName[]; reason: string } | undefined {
  if (!(error instanceof GraphQLError)) return undefined;
  const text = error.messages.join(' ');
  const field = /Cannot query field "([^"]+)"/.exec(text)?.[1];
  if (field === 'risk' && options.risk !== false) return { risk: false, reason: text };
  if (field === 'compliance' || /EndpointCompliance\b/.test(text)) {
    const drop = active.filter((s) => s === 'vulnerabilities' || s === 'compliance');
    return drop.length ? { drop, reason: text } : undefined;
  }
  if (field === 'cveFindings' || /CveFinding/.test(text))
    return active.includes('vulnerabilities') ? { drop: ['vulnerabilities'], reason: text } : undefined;
  if (field === 'complianceFindings' || /ComplianceFinding/.test(text))
    return active.includes('compliance') ? { drop: ['compliance'], reason: text } : undefined;
  if (/sensor/i.test(text) && !/cursor/i.test(text))
    return active.includes('sensors') ? { drop: ['sensors'], reason: text } : undefined;
  return undefined;
}

/** Expired (or unknown, after a server restart) cursors: the collection must be requested again. */
export function isCursorGone(error: unknown): boolean {
  if (error instanceof GraphQLError) {
    const text = error.messages.join(' ');
    return /cursor/i.test(text) && /expired|invalid|unknown|not found/i.test(text);
  }
  return (error as { kind?: unknown } | null)?.kind === 'stalled-cursor';
}
