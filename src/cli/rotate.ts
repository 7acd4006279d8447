import { type Command, Option } from 'commander';
import { parseDuration } from '../common/duration.js';
import { UserError } from '../common/userError.js';
import { DEFAULT_CONNECTION, validateConnectionName } from '../connections/name.js';
import { CRASH_POINTS, type CrashPoint } from '../rotation/driver.js';
import { METHOD_CHOICES, type MethodChoice } from '../rotation/method.js';
import { DEFAULT_POLICY, validateShare } from '../rotation/schedule.js';
import { exitCodeOf, rotateConnection } from '../rotation/service.js';
import { withConnections } from './context.js';
import { spellStep } from './hints.js';
import { type GlobalOptions, printResult } from './output.js';

/**
 * Test-only: the rotation exits with code 137 (as if killed) at this point, to prove that every step
 * leaves a state the next run recovers from. See CRASH_POINTS and docs/rotation.md.
 */
export const CRASH_ENV = 'TANIUM_BRIDGE_ROTATION_CRASH_AT';

interface RotateCliOptions {
  name: string;
  via: MethodChoice;
  ifDue?: boolean;
  every?: string;
  share?: string;
}

function crashHook(): ((point: CrashPoint) => void) | undefined {
  const at = process.env[CRASH_ENV];
  if (at === undefined || at === '') return undefined;
  if (!(CRASH_POINTS as readonly string[]).includes(at))
    throw new UserError(`${CRASH_ENV}="${at}" is not a crash point; use one of ${CRASH_POINTS.join(', ')}.`);
  return (point) => {
    if (point === at) process.exit(137);
  };
}

/** `tanium-bridge rotate`: rotate the connection's token now, or with --if-due when due (cron). */
export function registerRotate(program: Command): void {
  program
    .command('rotate')
    .description("rotate the connection's API token (recovering an interrupted rotation first)")
    .option('--name <name>', 'connection name', DEFAULT_CONNECTION)
    .addOption(
      new Option(
        '--via <method>',
        'auto: grant-then-revoke where the persona may create tokens, else the exchange; grant, grant-graphql: grant-then-revoke over REST or the Gateway; rest, graphql: the exchange (PATCH /api/v2/api_tokens, apiTokenRotate)',
      )
        .choices([...METHOD_CHOICES])
        .default('auto'),
    )
    .option('--if-due', "rotate only when due by the server's clock (for cron); say why not otherwise")
    .option('--every <duration>', 'with --if-due: rotate when the token is this old', '1d')
    .option(
      '--share <fraction>',
      'with --if-due: rotate when this share of its lifetime has passed',
      String(DEFAULT_POLICY.share),
    )
    .action(async (options: RotateCliOptions, command: Command) => {
      const global = command.optsWithGlobals<GlobalOptions>();
      const name = validateConnectionName(options.name);
      refuseScheduleWithoutIfDue(command, options.ifDue === true);
      const policy = {
        everyMs: parseDuration(options.every ?? '1d'),
        share: validateShare(Number(options.share ?? DEFAULT_POLICY.share)),
      };
      const checkpoint = crashHook();
      await withConnections(global, async (ctx) => {
        const report = await rotateConnection(ctx, name, {
          method: options.via,
          ifDue: options.ifDue === true,
          policy,
          ...(checkpoint ? { checkpoint } : {}),
        });
        const shown = { ...report, message: spellStep(report.message, report.next, global) };
        const exitCode = exitCodeOf(report.outcome);
        // A failure is reported on stderr like every other command's; --json keeps its object on stdout.
        if (exitCode !== 0 && !global.json) process.stderr.write(`${shown.message}\n`);
        else printResult(global, shown, shown.message);
        process.exitCode = exitCode;
      });
    });
}

/** `--every` and `--share` only say when a rotation is due: without `--if-due` they would be ignored. */
function refuseScheduleWithoutIfDue(command: Command, ifDue: boolean): void {
  if (ifDue) return;
  const given = ['every', 'share'].find((option) => command.getOptionValueSource(option) === 'cli');
  if (given !== undefined)
    throw new UserError(
      `Refusing --${given} without --if-due: it only says when a rotation is due, and rotate without --if-due rotates now. Add --if-due, or leave --${given} out.`,
    );
}
