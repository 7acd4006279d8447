import { readFileSync, statSync } from 'node:fs';
import { UserError } from '../common/userError.js';
import { formatOf, MAX_POLICY_BYTES, parsePolicy } from './parsePolicy.js';
import type { Policy } from './policy.js';

/** Reads and validates a policy file (YAML, or JSON by its `.json` name); bad files fail whole. */
export function readPolicyFile(file: string): Policy {
  let text: string;
  try {
    if (statSync(file).size > MAX_POLICY_BYTES)
      throw new UserError(`The policy file ${file} is larger than ${MAX_POLICY_BYTES / 1024} KiB.`);
    text = readFileSync(file, 'utf8');
  } catch (error) {
    if (error instanceof UserError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    const why =
      code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'it is a folder' : 'it cannot be read';
    throw new UserError(`Cannot read the policy file ${file}: ${why}.`, {
      code: 'policy_unreadable',
      fix: 'Give the path of a YAML or JSON policy file (docs/posture.md).',
    });
  }
  const base = file.replace(/^.*[\\/]/, '').replace(/\.(ya?ml|json)$/i, '');
  return parsePolicy(text, formatOf(file), /^[\w.-]{1,63}$/.test(base) ? base : 'policy');
}
