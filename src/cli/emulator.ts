import { resolve } from 'node:path';
import type { Command } from 'commander';
import { isPathError, pathProblem } from '../common/pathProblem.js';
import { UserError } from '../common/userError.js';
import { readFaultFile } from '../emulator/faults/faultFile.js';
import { FaultRuleError } from '../emulator/faults/faultRules.js';
import {
  type CheckInModel,
  type EmulatorOptions,
  GATEWAY_FEATURES,
  type GatewayFeature,
  isGatewayFeature,
  MAX_TENANTS,
  type RunningTenants,
  startEmulator,
  startTenants,
} from '../emulator/index.js';
import { commandLine } from './hints.js';
import type { GlobalOptions } from './output.js';
import { printJson } from './output.js';
import { parsePort, parseShare, parseWhole } from './parseNumber.js';

interface EmulatorCommandOptions extends GlobalOptions {
  port: string;
  host: string;
  state?: string;
  endpoints?: string;
  faults?: string;
  seed?: string;
  realism?: string;
  checkIns?: string;
  without?: string;
  identityPort?: string;
  identityComputerId?: string;
  tenants?: string;
}

/** `tanium-bridge emulator`: serves the local Tanium Cloud emulator until stopped. */
export function registerEmulator(program: Command): void {
  program
    .command('emulator')
    .description('serve the local Tanium Cloud emulator (prints its URL and an administrator token)')
    .option('--port <n>', 'port to listen on; 0 picks a free one', '0')
    .option('--host <address>', 'address to listen on (loopback unless you mean it)', '127.0.0.1')
    .option('--state <file>', 'keep users, tokens, settings and time in this file across restarts')
    .option('--endpoints <n>', 'endpoints in the seeded fleet (default 1000, at most 500000)')
    .option(
      '--seed <s>',
      'seed of the fleet and of fault rates: the same seed gives the same fleet and faults (default 1)',
    )
    .option(
      '--identity-port <n>',
      'also answer as the Tanium Client identity listener on this port (Tanium uses 17472)',
    )
    .option(
      '--identity-computer-id <id>',
      'the emulated endpoint the identity listener answers for (default: the first)',
    )
    .option(
      '--tenants <n>',
      'serve N tenants from this process, tenant k at http://127.0.0.k:PORT with its own fleet, tokens and faults (docs/emulator.md)',
    )
    .option('--faults <file>', 'install fault rules {"rules": [...]} at start (docs/emulator-faults.md)')
    .option(
      '--realism <share>',
      'answer what Tanium may: fields null, TSE-Error and unavailable readings, for this share of endpoints per check-in (default 0; docs/emulator.md)',
    )
    .option(
      '--check-ins <model>',
      'sparse (default: every 5 min to 4 h) or frequent (every 1-5 min, data changing only at scans and patch cycles, as a real fleet); docs/emulator-fleet.md',
    )
    .option(
      '--without <parts>',
      `leave out parts of Tanium's Gateway schema a tenant may lack, comma-separated (${GATEWAY_FEATURES.join(', ')}); docs/emulator.md`,
    )
    .action(async (_options, command: Command) => {
      const parent = process.ppid; // before start-up, which a parent may not outlive
      const options = command.optsWithGlobals<EmulatorCommandOptions>();
      const port = parsePort(options.port);
      if (options.tenants !== undefined) {
        // Any --tenants, 1 included, serves in tenant mode (tenant k at 127.0.0.k, the tenants list).
        const tenants = parseWhole(options.tenants, '--tenants', 1, MAX_TENANTS);
        refuseWithTenants(options);
        const each = emulatorOptions(options, port);
        const served = await startTenants({ ...each, tenants }).catch((error: unknown) => {
          throw tenantsProblem(error, tenants, port) ?? startupProblem(error, options, port);
        });
        announceTenants(served, options);
        await untilStopped(parent, () => served.close());
        return;
      }
      const each = emulatorOptions(options, port);
      let emulator: Awaited<ReturnType<typeof startEmulator>>;
      try {
        emulator = await startEmulator(each);
      } catch (error) {
        throw startupProblem(error, options, port);
      }
      const identity = emulator.identityPort === undefined ? {} : { identityPort: emulator.identityPort };
      if (options.json) printJson({ url: emulator.url, token: emulator.token, ...identity });
      else {
        process.stdout.write(
          [
            `Tanium Cloud emulator listening on ${emulator.url}`,
            `Administrator API token (persona "Default", trusted from 127.0.0.1 and ::1): ${emulator.token}`,
            `Connect to it:  echo <token> | ${commandLine(options, `connect --server ${emulator.url}`)}`,
            ...(emulator.identityPort === undefined
              ? []
              : [
                  `Identity listener on port ${emulator.identityPort}; its certificate: ${emulator.url}/__emulator/identity/certificate`,
                ]),
            'Stop with Ctrl+C.',
            '',
          ].join('\n'),
        );
      }
      await untilStopped(parent, () => emulator.close());
    });
}

/** The options of one emulated tenant, from the command line (each value checked, with its flag named). */
function emulatorOptions(options: EmulatorCommandOptions, port: number): EmulatorOptions {
  const endpoints =
    options.endpoints === undefined ? undefined : parseWhole(options.endpoints, '--endpoints', 1, 500_000);
  const seed = options.seed === undefined ? undefined : parseWhole(options.seed, '--seed', 0, 2 ** 31 - 1);
  const realism = options.realism === undefined ? undefined : parseShare(options.realism, '--realism');
  const checkIns = options.checkIns === undefined ? undefined : parseCheckIns(options.checkIns);
  const faultRules = options.faults === undefined ? undefined : faultFile(options.faults);
  const without = options.without === undefined ? undefined : parseWithout(options.without);
  const identityPort = options.identityPort === undefined ? undefined : parsePort(options.identityPort);
  return {
    port,
    host: options.host,
    ...(identityPort === undefined ? {} : { identityPort }),
    ...(options.identityComputerId === undefined ? {} : { identityComputerId: options.identityComputerId }),
    ...(endpoints === undefined ? {} : { endpoints }),
    ...(seed === undefined ? {} : { seed }),
    ...(realism === undefined ? {} : { realism }),
    ...(checkIns === undefined ? {} : { checkIns }),
    ...(options.state ? { statePath: resolve(options.state) } : {}),
    ...(faultRules === undefined ? {} : { faultRules }),
    ...(without === undefined ? {} : { without }),
  };
}

function parseCheckIns(value: string): CheckInModel {
  if (value === 'sparse' || value === 'frequent') return value;
  throw new UserError(`--check-ins must be sparse or frequent, not "${value}".`);
}

/** Serves until Ctrl+C, SIGTERM or the end of the parent process, then closes. */
function untilStopped(parent: number, close: () => Promise<void>): Promise<void> {
  return new Promise<void>((done) => {
    const stop = () => {
      close().finally(done);
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
    endWithParent(parent, stop);
  });
}

/** A start-up failure in words: the port, the address or the state file, and what to do. */
function startupProblem(error: unknown, options: EmulatorCommandOptions, port: number): unknown {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'EADDRINUSE')
    return new UserError(
      port === 0
        ? 'No free port could be found: try again, or choose one with --port.'
        : `Port ${port} is already in use: choose another with --port, or 0 for a free one.`,
    );
  if (code === 'EADDRNOTAVAIL' || code === 'ENOTFOUND' || code === 'EAI_AGAIN')
    return new UserError(
      `Cannot listen on ${options.host}: it is not an address of this machine. Use one with --host, such as 127.0.0.1.`,
    );
  if (code === 'EACCES')
    return new UserError(
      `Cannot listen on port ${port}: ports below 1024 need privileges. Choose another with --port, or 0 for a free one.`,
    );
  if (options.state !== undefined && isPathError(error))
    return pathProblem(error, { code: 'state_unusable', what: 'the state file', path: options.state });
  if (error instanceof SyntaxError)
    return new UserError(
      `The state file ${options.state} is not valid emulator state: move it away or choose another --state file.`,
    );
  return error;
}

/** Listening on tenant k's loopback address failed: say which, and what makes it available. */
function tenantsProblem(error: unknown, tenants: number, port: number): UserError | undefined {
  const { code, address } = error as NodeJS.ErrnoException & { address?: string };
  if (code === 'EADDRNOTAVAIL')
    return new UserError(
      `Cannot listen on ${address ?? 'a tenant address'}: this machine does not route 127.0.0.2-127.0.0.${tenants} to loopback (Linux does; on macOS add each with \`sudo ifconfig lo0 alias 127.0.0.K\`), or use fewer --tenants.`,
    );
  if (code === 'EADDRINUSE' && port !== 0)
    return new UserError(
      `Port ${port} is already in use on ${address ?? 'a tenant address'}: choose another with --port, or 0 for a free one.`,
    );
  return undefined;
}

/** Options that name one tenant's address, file or listener make no sense for several. */
function refuseWithTenants(options: EmulatorCommandOptions): void {
  const clash =
    options.state !== undefined
      ? '--state'
      : options.identityPort !== undefined
        ? '--identity-port'
        : options.identityComputerId !== undefined
          ? '--identity-computer-id'
          : options.host !== '127.0.0.1'
            ? '--host'
            : undefined;
  if (clash)
    throw new UserError(
      `${clash} cannot be combined with --tenants: tenants listen on 127.0.0.1 to 127.0.0.N and keep their state in memory. Leave out ${clash}, or run one tenant.`,
    );
}

function announceTenants(served: RunningTenants, options: EmulatorCommandOptions): void {
  const list = served.tenants.map((t) => ({ url: t.url, token: t.token }));
  if (options.json) {
    // The first tenant's url and token stay at the top level: scripts written for one tenant keep working.
    printJson({ ...list[0]!, tenants: list });
    return;
  }
  process.stdout.write(
    [
      `Tanium Cloud emulator serving ${list.length} tenants on port ${served.port} (administrator tokens, persona "Default", trusted from 127.0.0.1 and ::1):`,
      ...list.map((t, i) => `  tenant ${i + 1}: ${t.url}  ${t.token}`),
      `Connect to one:  echo <token> | ${commandLine(options, `connect --name tenant-1 --server ${list[0]!.url}`)}`,
      'Stop with Ctrl+C.',
      '',
    ].join('\n'),
  );
}

/** `--without risk`: known optional parts, or one line naming the unknown one and the known ones. */
function parseWithout(text: string): GatewayFeature[] {
  const parts = text
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean);
  const unknown = parts.find((p) => !isGatewayFeature(p));
  if (parts.length === 0 || unknown !== undefined)
    throw new UserError(
      `Unknown --without part "${unknown ?? text}": use a comma-separated list of ${GATEWAY_FEATURES.join(', ')}.`,
    );
  return [...new Set(parts)] as GatewayFeature[];
}

function faultFile(path: string) {
  try {
    return readFaultFile(path);
  } catch (error) {
    if (error instanceof FaultRuleError) throw new UserError(error.message);
    throw error;
  }
}

/**
 * Stops when the process that started this one ends: `kill $!` after `npm start -- emulator &` ends
 * npm, not this process, which would otherwise keep serving. An orphan is re-parented (to init or a
 * subreaper), so a changed parent id means the parent is gone.
 */
function endWithParent(parent: number, stop: () => void): void {
  const timer = setInterval(() => {
    if (process.ppid === parent) return;
    clearInterval(timer);
    stop();
  }, 500);
  timer.unref();
}
