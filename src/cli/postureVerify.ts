import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { UserError } from '../common/userError.js';
import { requireConnection } from '../connections/editConnection.js';
import { DEFAULT_CONNECTION, validateConnectionName } from '../connections/name.js';
import type { Decision } from '../posture/decision.js';
import { formatDecision } from '../posture/formatDecision.js';
import { readPolicyFile } from '../posture/policyFile.js';
import { PostureService } from '../posture/service.js';
import { IDENTITY_PORT, verifyEndpointIdentity } from '../sdk/index.js';
import { withConnections } from './context.js';
import { type GlobalOptions, printResult } from './output.js';
import { parsePort } from './parseNumber.js';

/** `posture verify` exits 5 when the identity is not verified (never an allow); else as `posture`. */
export const IDENTITY_NOT_VERIFIED_EXIT = 5;
const VERDICT_EXIT: Record<Decision['verdict'], number> = { allow: 0, deny: 3, ambiguous: 4 };

interface VerifyOptions {
  host: string;
  port: string;
  certificate: string;
  policy?: string;
  name: string;
  timeout: string;
}

function readCertificate(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    throw new UserError(`Cannot read the certificate file ${file}.`, {
      fix: 'Give the PEM certificate of the Tanium Client identity key (docs/posture.md).',
    });
  }
}

/** `tanium-bridge posture verify`: the endpoint proves who it is, then its posture is decided. */
export function registerPostureVerify(posture: Command): void {
  posture
    .command('verify')
    .description('verify an endpoint identity (Tanium Client) and decide its posture; exit 5 if not verified')
    .requiredOption('--certificate <file>', 'PEM certificate of the identity key')
    .option('--host <host>', 'where the Tanium Client listens', '127.0.0.1')
    .option('--port <port>', 'the Tanium Client port', String(IDENTITY_PORT))
    .option('--timeout <ms>', 'give up when the client does not answer within this many ms', '5000')
    .option('--policy <file>', 'a YAML or JSON policy (default: require managed)')
    .option('--name <name>', 'connection name', DEFAULT_CONNECTION)
    .action(async (options: VerifyOptions, command: Command) => {
      const global = command.optsWithGlobals<GlobalOptions>();
      const name = validateConnectionName(options.name);
      const port = parsePort(options.port);
      const timeoutMs = Number(options.timeout);
      if (!Number.isInteger(timeoutMs) || timeoutMs < 1 || timeoutMs > 600_000)
        throw new UserError(
          `Invalid --timeout "${options.timeout}": use whole milliseconds from 1 to 600000.`,
        );
      const certificate = readCertificate(options.certificate);
      const policy = options.policy === undefined ? undefined : readPolicyFile(options.policy);
      await withConnections(global, async (ctx) => {
        await requireConnection(ctx, name);
        const identity = await verifyEndpointIdentity({ host: options.host, port, certificate, timeoutMs });
        const decision = identity.endpoint
          ? await new PostureService(ctx.store).decide({
              connection: name,
              device: identity.endpoint.eid,
              by: 'eid',
              identityVerified: true,
              ...(policy ? { policy } : {}),
            })
          : null;
        const { verified, reason, endpoint } = identity;
        const human = verified
          ? `identity verified: ${identity.message}\n${formatDecision(decision!)}`
          : `identity not verified (${reason}): ${identity.message}`;
        printResult(global, { verified, reason, endpoint, decision }, human);
        process.exitCode = decision ? VERDICT_EXIT[decision.verdict] : IDENTITY_NOT_VERIFIED_EXIT;
      });
    });
}
