/**
 * A posture policy (docs/posture.md): named rules tried in order, each with an action and Cloudflare
 * Access's selector semantics (include: any passes; require: all pass; exclude: none passes). The
 * first rule that matches decides; when none matches, the device is denied.
 */

export const RISK_LEVELS = ['low', 'medium', 'high', 'critical'] as const;
export type RiskLevel = (typeof RISK_LEVELS)[number];

/** Numeric bounds a check may give: the value must be at least / at most these. */
export interface Bounds {
  atLeast?: number;
  atMost?: number;
}

export type Check =
  | { kind: 'managed'; expected: boolean }
  | { kind: 'lastSeenWithin'; ms: number; text: string }
  | { kind: 'osPlatform'; anyOf: string[] }
  | { kind: 'osName'; equals?: string; matches?: RegExp }
  | { kind: 'osVersion'; atLeast?: string; atMost?: string; sensor?: string; column?: string }
  | { kind: 'diskEncrypted'; expected: boolean }
  | { kind: 'virtual'; expected: boolean }
  | ({ kind: 'riskScore' } & Bounds)
  | { kind: 'riskLevel'; atMost?: RiskLevel; anyOf?: RiskLevel[] }
  | ({ kind: 'maxCvss' } & Bounds)
  | ({ kind: 'kevCves' } & Bounds)
  | ({ kind: 'failedCompliance'; category?: string; standard?: string } & Bounds)
  | { kind: 'sensor'; name: string; column?: string; equals?: string; matches?: RegExp; anyOf?: string[] }
  | { kind: 'computerGroup'; anyOf: string[] }
  | { kind: 'identityVerified'; expected: boolean };

export type CheckKind = Check['kind'];

export interface Rule {
  name: string;
  action: 'allow' | 'block';
  include: Check[];
  require: Check[];
  exclude: Check[];
  /** The Cloudflare score (0-100) when this rule decides; default 100 for allow, 0 for block. */
  score?: number;
}

export interface Policy {
  name: string;
  /** `managed` means checked in within this window (the source's 7 days by default). */
  managedWithinMs: number;
  /** Data older than this is stale; undefined: twice the sync interval, at least 2 h. */
  maxDataAgeMs?: number;
  /** What stale data decides: deny (fail closed, the default) or allow (fail open, and said so). */
  onStaleData: 'deny' | 'allow';
  rules: Rule[];
}

export const DAY_MS = 86_400_000;
export const DEFAULT_MANAGED_WITHIN_MS = 7 * DAY_MS;

/** Without a policy: the source's rule, require `Managed`. */
export const DEFAULT_POLICY: Policy = {
  name: 'default',
  managedWithinMs: DEFAULT_MANAGED_WITHIN_MS,
  onStaleData: 'deny',
  rules: [
    {
      name: 'managed',
      action: 'allow',
      include: [{ kind: 'managed', expected: true }],
      require: [],
      exclude: [],
    },
  ],
};
