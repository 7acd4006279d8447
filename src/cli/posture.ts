import type { Command } from 'commander';
import { UserError } from '../common/userError.js';
import { requireConnection } from '../connections/editConnection.js';
import { DEFAULT_CONNECTION, validateConnectionName } from '../connections/name.js';
import type { Decision } from '../posture/decision.js';
import { formatDecision } from '../posture/formatDecision.js';
import { readPolicyFile } from '../posture/policyFile.js';
import { PostureService } from '../posture/service.js';
import { LOOKUP_KEYS, type LookupKey } from '../store/posture.js';
import { withConnections } from './context.js';
import { type GlobalOptions, printResult } from './output.js';
import { registerPostureVerify } from './postureVerify.js';

/** Exit codes of `posture` (docs/posture.md): 0 allow, 3 deny, 4 ambiguous; 1 stays a problem. */
export const POSTURE_EXIT: Record<Decision['verdict'], number> = { allow: 0, deny: 3, ambiguous: 4 };

interface PostureOptions {
  by?: string;
  policy?: string;
  name: string;
}

export function parseLookupKey(text: string | undefined): LookupKey | undefined {
  if (text === undefined) return undefined;
  if ((LOOKUP_KEYS as readonly string[]).includes(text)) return text as LookupKey;
  throw new UserError(`Unknown --by "${text}": use one of ${LOOKUP_KEYS.join(', ')}.`);
}

/** `tanium-bridge posture`: a device's posture decision from the synced store, and policy checks. */
export function registerPosture(program: Command): void {
  const posture = program
    .command('posture')
    .description('decide a device posture from the synced store (exit 0 allow, 3 deny, 4 ambiguous)')
    .argument('<device>', 'serial number, computer ID, endpoint id, host name, MAC or IP address')
    .option('--by <key>', `what the identifier is: ${LOOKUP_KEYS.join(', ')} (default: any it can be)`)
    .option('--policy <file>', 'a YAML or JSON policy (default: require managed)')
    .option('--name <name>', 'connection name', DEFAULT_CONNECTION)
    .action(async (device: string, options: PostureOptions, command: Command) => {
      const global = command.optsWithGlobals<GlobalOptions>();
      const name = validateConnectionName(options.name);
      const by = parseLookupKey(options.by);
      const policy = options.policy === undefined ? undefined : readPolicyFile(options.policy);
      await withConnections(global, async (ctx) => {
        await requireConnection(ctx, name);
        const decision = await new PostureService(ctx.store).decide({
          connection: name,
          device,
          ...(by ? { by } : {}),
          ...(policy ? { policy } : {}),
        });
        printResult(global, decision, formatDecision(decision));
        process.exitCode = POSTURE_EXIT[decision.verdict];
      });
    });
  posture
    .command('policy')
    .description('posture policies')
    .command('check')
    .description('validate a policy file; every problem is named by its path')
    .argument('<file>', 'a YAML or JSON policy file')
    .action((file: string, _options: unknown, command: Command) => {
      const global = command.optsWithGlobals<GlobalOptions>();
      const policy = readPolicyFile(file);
      const rules = policy.rules.length;
      printResult(
        global,
        { valid: true, name: policy.name, rules: policy.rules.map((r) => r.name) },
        `Policy "${policy.name}" is valid: ${rules} rule${rules === 1 ? '' : 's'} (${policy.rules.map((r) => r.name).join(', ')}).`,
      );
    });
  registerPostureVerify(posture);
}
