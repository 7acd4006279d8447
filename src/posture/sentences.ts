/** Ages and durations in the words a decision's sentences use ("9 days", "5 h", "40 s"). */
export function spell(ms: number): string {
  const s = Math.max(0, Math.floor(ms / 1000));
  if (s < 120) return `${s} s`;
  if (s < 2 * 3600) return `${Math.floor(s / 60)} min`;
  if (s < 48 * 3600) return `${Math.floor(s / 3600)} h`;
  const days = Math.floor(s / 86_400);
  return `${days} day${days === 1 ? '' : 's'}`;
}

/** A duration a policy gave, spelled exactly (7d is "7 days", 36h is "36 h", 90m is "90 min"). */
export function spellWindow(ms: number): string {
  if (ms % 86_400_000 === 0) return `${ms / 86_400_000} day${ms === 86_400_000 ? '' : 's'}`;
  if (ms % 3_600_000 === 0) return `${ms / 3_600_000} h`;
  if (ms % 60_000 === 0) return `${ms / 60_000} min`;
  return `${ms / 1000} s`;
}

/** "not a member of A" or "not a member of any of A, B", naming groups the tenant does not have. */
export function groupSentence(groups: readonly string[], unknown: readonly string[]): string {
  const named = groups.length === 1 ? groups[0] : `any of ${groups.join(', ')}`;
  const absent = unknown.length === 0 ? '' : ` (no such group: ${unknown.join(', ')})`;
  return `not a member of ${named}${absent}`;
}
