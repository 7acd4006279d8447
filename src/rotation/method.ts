/**
 * Which rotation method a run uses. `auto` (the default) prefers grant-then-revoke, which cannot lock
 * the integration out, and falls back to the exchange in the same run when Tanium refuses to create a
 * token for the persona; that refusal is remembered, so later runs use the exchange directly until
 * the re-check interval has passed and grant-then-revoke is tried again.
 */
import type { RotationMethod, RotationRecord } from '../store/rotation.js';
import type { Store } from '../store/store.js';
import type { RotationPlan } from './driver.js';
import { DAY_MS } from './schedule.js';

export type MethodChoice = RotationMethod | 'auto';

export const METHOD_CHOICES: readonly MethodChoice[] = ['auto', 'grant', 'grant-graphql', 'rest', 'graphql'];

/** After a refused grant, how long the exchange is used before grant-then-revoke is tried again. */
export const GRANT_RECHECK_MS = 7 * DAY_MS;

/**
 * The persona permission that lets a token create tokens, besides the Administrator role (`*`). An
 * ASSUMPTION shared with the emulator (docs/emulator.md): Tanium's public documentation names only
 * "Token - Use" and "Token - View" (older releases: View, Use and Revoke Token).
 */
export const CREATE_TOKEN_PERMISSION = 'Token - Create';

/** When a stored refusal stops counting (ISO, local clock), or null when none is stored. */
export function grantRecheckAt(record: RotationRecord | undefined): string | null {
  if (record?.grantCapability !== 'refused' || record.grantCheckedAt === null) return null;
  return new Date(Date.parse(record.grantCheckedAt) + GRANT_RECHECK_MS).toISOString();
}

function refusalIsFresh(record: RotationRecord | undefined, now: Date): boolean {
  const recheck = grantRecheckAt(record);
  return recheck !== null && now.getTime() < Date.parse(recheck);
}

/** What a run does with the choice: a forced method as is; `auto` as above. */
export function planFor(choice: MethodChoice, record: RotationRecord | undefined, now: Date): RotationPlan {
  if (choice !== 'auto') return { method: choice, fallback: null };
  if (refusalIsFresh(record, now)) return { method: 'rest', fallback: null };
  return { method: 'grant', fallback: 'rest' };
}

export interface MethodForecast {
  /** What an automatic rotation uses next. */
  method: 'grant' | 'rest';
  /** Where that comes from: the persona's permissions, what an earlier grant found, or nothing yet. */
  source: 'permissions' | 'detection' | 'not_known';
  reason: string;
}

/** The persona's permissions as `GET /api/v2/session/current` lists them, when it lists names. */
export function permissionNames(listed: unknown): string[] | undefined {
  if (!Array.isArray(listed) || !listed.every((p) => typeof p === 'string')) return undefined;
  return listed as string[];
}

/** For `check --modules`: which method rotation will use and why. */
export function forecastMethod(
  record: RotationRecord | undefined,
  permissions: readonly string[] | undefined,
  now: Date,
): MethodForecast {
  const mayCreate =
    permissions === undefined
      ? undefined
      : permissions.includes('*') || permissions.includes(CREATE_TOKEN_PERMISSION);
  if (refusalIsFresh(record, now)) {
    const hint = mayCreate
      ? '; the persona now holds the permission: `rotate --via grant` checks at once'
      : '';
    return {
      method: 'rest',
      source: 'detection',
      reason: `Tanium refused to create a token for this persona at ${record?.grantCheckedAt}; the exchange is used until ${grantRecheckAt(record)}, then grant-then-revoke is tried again${hint}`,
    };
  }
  if (mayCreate === true)
    return {
      method: 'grant',
      source: 'permissions',
      reason: permissions?.includes('*')
        ? 'the persona may create tokens (Administrator role)'
        : `the persona may create tokens ("${CREATE_TOKEN_PERMISSION}")`,
    };
  if (mayCreate === false)
    return {
      method: 'rest',
      source: 'permissions',
      reason: `the persona may not create tokens (no "${CREATE_TOKEN_PERMISSION}" permission and no Administrator role), so rotation falls back to the exchange`,
    };
  if (record?.grantCapability === 'allowed')
    return {
      method: 'grant',
      source: 'detection',
      reason: `Tanium created a token for this persona at ${record.grantCheckedAt}`,
    };
  return {
    method: 'grant',
    source: 'not_known',
    reason:
      'not known until the first rotation: it tries grant-then-revoke and falls back to the exchange if Tanium refuses to create a token',
  };
}

/** `forecastMethod` with the connection's stored rotation state. */
export async function forecastFor(
  store: Store,
  name: string,
  listedPermissions: unknown,
  now: Date,
): Promise<MethodForecast> {
  return forecastMethod(await store.rotation.get(name), permissionNames(listedPermissions), now);
}

/** The forecast in words, for one line of `check --modules`. */
export function forecastLine(forecast: MethodForecast): string {
  const method =
    forecast.method === 'grant' ? 'grant-then-revoke' : 'the exchange (PATCH /api/v2/api_tokens)';
  return `Token rotation will use ${method}: ${forecast.reason}.`;
}
