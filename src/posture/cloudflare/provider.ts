import { isProblem } from '../../common/problem.js';
import type { LookupKey } from '../../store/posture.js';
import type { Decision } from '../decision.js';
import type { Policy } from '../policy.js';
import type { PostureService } from '../service.js';

/** One device as Cloudflare's custom service-provider integration sends it. */
export interface CloudflareDevice {
  device_id: string;
  email?: string | null;
  serial_number?: string | null;
  mac_address?: string | null;
  virtual_ipv4?: string | null;
  hostname?: string | null;
}

export interface CloudflareScore {
  /** The Tanium endpoint id of the matched device ("" when none matched). */
  s2s_id: string;
  score: number;
}

/**
 * The documented mapping (docs/posture.md): the deciding rule's own `score` when it has one, else 100
 * for allow and 0 for deny; no deciding rule (no match, stale data) and unknown devices score 0.
 */
export function scoreOf(decision: Decision, policy: Policy | undefined): number {
  const rule = decision.rule === null ? undefined : policy?.rules.find((r) => r.name === decision.rule);
  if (rule?.score !== undefined && decision.rule !== null) return rule.score;
  return decision.verdict === 'allow' ? 100 : 0;
}

const ORDER: readonly { key: LookupKey; field: keyof CloudflareDevice }[] = [
  { key: 'serial', field: 'serial_number' },
  { key: 'mac', field: 'mac_address' },
  { key: 'hostname', field: 'hostname' },
];

/**
 * Scores each device: matched by serial number, then MAC address, then host name (an identifier that
 * is missing, malformed or names several endpoints passes to the next); unknown devices score 0.
 */
export async function scoreDevices(
  service: PostureService,
  connection: string,
  devices: readonly CloudflareDevice[],
  policy: Policy | undefined,
): Promise<Record<string, CloudflareScore>> {
  const result: Record<string, CloudflareScore> = {};
  for (const device of devices) {
    let decision: Decision | undefined;
    for (const { key, field } of ORDER) {
      const value = device[field];
      if (typeof value !== 'string' || value.trim() === '') continue;
      try {
        const d = await service.decide({ connection, device: value, by: key, ...(policy ? { policy } : {}) });
        if (d.endpoint) {
          decision = d;
          break;
        }
      } catch (error) {
        // A malformed identifier (not a MAC address, say) matches nothing: try the next.
        if (!isProblem(error) || error.code !== 'invalid_device') throw error;
      }
    }
    result[device.device_id] = decision?.endpoint
      ? {
          s2s_id: decision.endpoint.endpointId,
          score: scoreOf(decision, policy),
        }
      : { s2s_id: '', score: 0 };
  }
  return result;
}
