import type { AnswerStatus } from '../streams/stream.js';

/**
 * How Tanium last answered one scope of an endpoint: its CVE findings, its compliance checks or one of
 * its sensors (docs/sync.md, "Null is not empty"). Read by `SyncRepository.scopeAnswers`.
 */
export interface ScopeAnswer {
  endpointId: string;
  /** `''` for an endpoint's findings, the sensor's name for a sensor. */
  scope: string;
  status: AnswerStatus;
  /** The endpoint's eidLastSeen given with the last real answer (null: never answered, or not recorded). */
  answeredAt: string | null;
  /** The eidLastSeen of the latest answer, real or not. */
  checkedAt: string | null;
}

/** A `scope_answers` row as both dialects select it (`SCOPE_ANSWER_COLUMNS`). */
export type ScopeAnswerRow = {
  endpoint_id: string;
  scope: string;
  status: AnswerStatus;
  answered_at: string | null;
  checked_at: string | null;
};

export const SCOPE_ANSWER_COLUMNS = 'endpoint_id, scope, status, answered_at, checked_at';

export function scopeAnswer(row: ScopeAnswerRow): ScopeAnswer {
  return {
    endpointId: row.endpoint_id,
    scope: row.scope,
    status: row.status,
    answeredAt: row.answered_at,
    checkedAt: row.checked_at,
  };
}
