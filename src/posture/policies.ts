import { Problem } from '../common/problem.js';
import type { PolicyVersion, StoredPolicy } from '../store/posture.js';
import type { Store } from '../store/store.js';
import { type PolicyFormat, parsePolicy } from './parsePolicy.js';
import type { Policy } from './policy.js';

const NAME = /^[a-z0-9][a-z0-9_.-]{0,62}$/;

export function validatePolicyName(name: string): string {
  if (NAME.test(name)) return name;
  throw new Problem({
    code: 'invalid_policy_name',
    kind: 'invalid',
    message: `Invalid policy name "${name.slice(0, 80)}".`,
    fix: 'Use 1 to 63 lower-case letters, digits, _, . or -, starting with a letter or digit.',
  });
}

const noSuchPolicy = (name: string) =>
  new Problem({
    code: 'policy_not_found',
    kind: 'not_found',
    message: `No policy is stored as "${name}".`,
    fix: 'Store it first, or leave the policy out to use the default (require managed).',
    details: { name },
  });

/**
 * Stored policies: each save validates the whole text first (nothing of a bad policy is stored) and
 * adds a version with who saved it and when. Parsed policies are kept per name and version.
 */
export class PolicyBook {
  readonly #parsed = new Map<string, { version: number; policy: Policy }>();
  constructor(private readonly store: Store) {}

  async save(
    name: string,
    format: PolicyFormat,
    source: string,
    actor: string,
    now: Date,
  ): Promise<PolicyVersion> {
    validatePolicyName(name);
    const policy = { ...parsePolicy(source, format, name), name };
    const saved = await this.store.posture.savePolicy({
      name,
      format,
      source,
      createdBy: actor,
      createdAt: now.toISOString(),
    });
    this.#parsed.set(name, { version: saved.version, policy });
    return summary(saved);
  }

  async get(name: string): Promise<StoredPolicy & { versions: PolicyVersion[] }> {
    validatePolicyName(name);
    const stored = await this.store.posture.policy(name);
    if (!stored) throw noSuchPolicy(name);
    return { ...stored, versions: await this.store.posture.policyVersions(name) };
  }

  list(): Promise<PolicyVersion[]> {
    return this.store.posture.policies();
  }

  /** The latest version, parsed (once per version). */
  async policy(name: string): Promise<Policy> {
    validatePolicyName(name);
    const stored = await this.store.posture.policy(name);
    if (!stored) throw noSuchPolicy(name);
    const cached = this.#parsed.get(name);
    if (cached?.version === stored.version) return cached.policy;
    const policy = { ...parsePolicy(stored.source, stored.format, name), name };
    this.#parsed.set(name, { version: stored.version, policy });
    return policy;
  }
}

function summary(p: StoredPolicy): PolicyVersion {
  return { name: p.name, version: p.version, createdBy: p.createdBy, createdAt: p.createdAt };
}
