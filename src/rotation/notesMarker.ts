/**
 * The marker grant-then-revoke puts in a new token's notes, ` [tanium-bridge <attemptId>]`, so that
 * a token whose creation answer was lost can be found in `myAPITokens` and revoked by id. Notes are
 * the only field a caller chooses that Tanium lists back; the user's own notes are kept in front, and
 * the marker of an earlier rotation is replaced, so notes never grow.
 */
const MARKER = /\s*\[tanium-bridge [^\]]*\]\s*$/;

export const markerOf = (attemptId: string): string => `[tanium-bridge ${attemptId}]`;

/** The user's notes without a rotation marker. */
export function userNotes(notes: string): string {
  return notes.replace(MARKER, '');
}

/** The notes for the token an attempt creates. */
export function markedNotes(notes: string, attemptId: string): string {
  const base = userNotes(notes);
  return base === '' ? markerOf(attemptId) : `${base} ${markerOf(attemptId)}`;
}

export function hasMarker(notes: string, attemptId: string): boolean {
  return notes.endsWith(markerOf(attemptId));
}
