import type { EndpointIds } from '../store/posture.js';
import type { CheckOutcome, DataAge, Decision } from './decision.js';
import { type CheckContext, evaluate } from './evaluate.js';
import type { Policy, Rule } from './policy.js';
import { spell } from './sentences.js';

/** A rule's outcomes; it matches when any include passes, every require passes and no exclude holds. */
function tryRule(rule: Rule, ctx: CheckContext): { matched: boolean; checks: CheckOutcome[] } {
  const checks: CheckOutcome[] = [];
  const run = (list: Rule['include'], exclude: boolean) =>
    list.map((check) => {
      const { holds, sentence } = evaluate(check, ctx);
      // Unknown data never lets a device in: it fails an include or require, and trips an exclude.
      const passed = exclude ? holds === false : holds === true;
      checks.push({
        check: check.kind,
        passed,
        sentence,
        rule: rule.name,
      });
      return passed;
    });
  const include = run(rule.include, false);
  const require = run(rule.require, false);
  const exclude = run(rule.exclude, true);
  return { matched: include.some(Boolean) && require.every(Boolean) && exclude.every(Boolean), checks };
}

/**
 * The policy's verdict for one endpoint: the first rule that matches decides (allow, or deny for a
 * block rule); no match denies. Stale data denies unless the policy fails open, and then says so.
 */
export function decide(policy: Policy, ctx: CheckContext, dataAge: DataAge): Decision {
  const endpoint = idsOf(ctx.endpoint);
  const checks: CheckOutcome[] = [];
  let verdict: Decision['verdict'] = 'deny';
  let rule: string | null = null;
  for (const candidate of policy.rules) {
    const tried = tryRule(candidate, ctx);
    checks.push(...tried.checks);
    if (tried.matched) {
      verdict = candidate.action === 'allow' ? 'allow' : 'deny';
      rule = candidate.name;
      break;
    }
  }
  const decision: Decision = { verdict, rule, checks, endpoint, dataAge };
  if (rule === null) decision.reason = 'no rule of the policy matched';
  if (!dataAge.stale) return decision;
  const staleReason = staleSentence(dataAge);
  if (policy.onStaleData === 'allow')
    return {
      ...decision,
      reason: `${staleReason}; the policy fails open, so its rules decide on it`,
      failOpen: true,
    };
  return { ...decision, verdict: 'deny', rule: null, reason: staleReason };
}

export function staleSentence(dataAge: DataAge): string {
  return dataAge.seconds === null
    ? 'posture data has never been synced'
    : `posture data is ${spell(dataAge.seconds * 1000)} old`;
}

export function idsOf(e: EndpointIds): EndpointIds {
  return {
    endpointId: e.endpointId,
    computerId: e.computerId,
    serialNumber: e.serialNumber,
    hostname: e.hostname,
  };
}
