import type { StreamName } from '../streams/stream.js';
import type { SyncSummary } from './events.js';

const n = (value: number) => value.toLocaleString('en-US');

/**
 * The human summary: one line per stream with rows added, updated, removed and quarantined, and the
 * endpoints whose answer was not known this time (their stored rows were kept).
 */
export function formatSummary(summary: SyncSummary, totals?: Partial<Record<StreamName, number>>): string {
  const lines = [
    `Synced "${summary.connection}" (${summary.mode} pass${summary.resumed ? ', resumed' : ''}${
      summary.since ? ` since ${summary.since}` : ''
    }): ${n(summary.endpoints)} endpoints in ${summary.pages} pages, ${(summary.durationMs / 1000).toFixed(1)} s${
      summary.resumes ? `, ${summary.resumes} resume(s) after an expired cursor` : ''
    }${summary.restarts ? `, ${summary.restarts} collection restart(s)` : ''}`,
  ];
  for (const [stream, s] of Object.entries(summary.streams)) {
    const total = totals?.[stream as StreamName];
    lines.push(
      `  ${stream.padEnd(16)} +${n(s.added)} added  ~${n(s.updated)} updated  -${n(s.removed)} removed  ${n(
        s.quarantined,
      )} quarantined  ${n(s.unknown)} unknown${total === undefined ? '' : `  (${n(total)} rows stored)`}`,
    );
  }
  for (const [stream, reason] of Object.entries(summary.skipped))
    lines.push(`  ${stream.padEnd(16)} skipped: ${reason}`);
  return lines.join('\n');
}
