import type { EndpointIds } from '../store/posture.js';

/** One check's outcome as the decision shows it (docs/posture.md). */
export interface CheckOutcome {
  check: string;
  passed: boolean;
  sentence: string;
  /** The rule the check belongs to. */
  rule: string;
}

export interface DataAge {
  /** When the connection's last complete sync finished; null: never. */
  syncedAt: string | null;
  seconds: number | null;
  maxSeconds: number;
  stale: boolean;
}

/** The answer to "may this device in?", with its reasons (the JSON shape in docs/posture.md). */
export interface Decision {
  verdict: 'allow' | 'deny' | 'ambiguous';
  rule: string | null;
  checks: CheckOutcome[];
  endpoint: EndpointIds | null;
  dataAge: DataAge;
  reason?: string;
  matches?: EndpointIds[];
  failOpen?: true;
}
