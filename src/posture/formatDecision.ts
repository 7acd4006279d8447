import type { EndpointIds } from '../store/posture.js';
import type { Decision } from './decision.js';
import { spell } from './sentences.js';

function name(e: EndpointIds): string {
  const ids = [`eid ${e.endpointId}`, e.serialNumber ? `serial ${e.serialNumber}` : ''].filter(Boolean);
  return `${e.hostname ?? '(no host name)'} (${ids.join(', ')})`;
}

/** The decision for people: the verdict and why, each check on its own line, the data's age. */
export function formatDecision(d: Decision): string {
  const lines: string[] = [];
  const who = d.endpoint ? name(d.endpoint) : 'no single endpoint';
  const why = d.rule ? `rule ${d.rule}` : (d.reason ?? '');
  lines.push(`${d.verdict}: ${who}${why ? ` — ${why}` : ''}`);
  if (d.rule && d.reason) lines.push(`  note: ${d.reason}`);
  for (const c of d.checks) lines.push(`  ${c.passed ? 'pass' : 'FAIL'} ${c.rule}/${c.check}: ${c.sentence}`);
  for (const m of d.matches ?? []) lines.push(`  match: ${name(m)}`);
  const age = d.dataAge.seconds === null ? 'never synced' : `synced ${spell(d.dataAge.seconds * 1000)} ago`;
  lines.push(
    `  data: ${age}${d.dataAge.stale ? ` (older than ${spell(d.dataAge.maxSeconds * 1000)}: stale)` : ''}`,
  );
  return lines.join('\n');
}
