import type { Command } from 'commander';
import {
  type CheckResult,
  checkConnection,
  DEFAULT_CHECK_TIMEOUT_MS,
  MODULES_TIP,
} from '../connections/check.js';
import { DEFAULT_CONNECTION, validateConnectionName } from '../connections/name.js';
import type { SchemaReport } from '../connections/schemaReport.js';
import { forecastLine } from '../rotation/index.js';
import { withConnections } from './context.js';
import { spellStep } from './hints.js';
import { type GlobalOptions, printJson } from './output.js';
import { parseSeconds } from './parseNumber.js';

export { CHECK_FAILED, CHECK_OK, MODULES_TIP, moduleReport } from '../connections/check.js';

interface CheckCliOptions {
  name: string;
  modules?: boolean;
  timeout: string;
}

/**
 * `tanium-bridge check`: the health check (src/connections/check.ts). On failure, a second line says
 * why; `--modules` also reports which of the ten modules the token may use.
 */
export function registerCheck(program: Command): void {
  program
    .command('check')
    .description('test the stored token: look up the current session, and say why it failed')
    .option('--name <name>', 'connection name', DEFAULT_CONNECTION)
    .option('--modules', 'also probe each of the ten modules and report which this token may use')
    .option(
      '--timeout <seconds>',
      'give up on an answer after this many seconds',
      String(DEFAULT_CHECK_TIMEOUT_MS / 1000),
    )
    .action(async (options: CheckCliOptions, command: Command) => {
      const global = command.optsWithGlobals<GlobalOptions>();
      const name = validateConnectionName(options.name);
      const timeoutMs = parseSeconds(options.timeout, '--timeout');
      await withConnections(global, async (ctx) => {
        const result = await checkConnection(ctx, name, {
          modules: options.modules === true,
          timeoutMs,
        });
        if (!result.ok) process.exitCode = 1;
        print(global, result);
      });
    });
}

/** The check's words with its steps spelled as commands of this CLI. */
function spelled(global: GlobalOptions, result: CheckResult): CheckResult {
  const { diagnosis, rotation } = result;
  return {
    ...result,
    ...(diagnosis
      ? { diagnosis: { ...diagnosis, fix: spellStep(diagnosis.fix, diagnosis.next, global) } }
      : {}),
    ...(rotation
      ? { rotation: { ...rotation, message: spellStep(rotation.message, rotation.next, global) } }
      : {}),
  };
}

function print(global: GlobalOptions, checked: CheckResult): void {
  const result = spelled(global, checked);
  if (global.json) {
    printJson(result);
    return;
  }
  const { rotation } = result;
  if (!result.ok) {
    const warning = rotation ? `Token rotation: ${rotation.message}\n` : '';
    process.stderr.write(
      `${result.message}\n${result.diagnosis?.message} ${result.diagnosis?.fix}\n${warning}`,
    );
    return;
  }
  if (rotation) process.stderr.write(`Warning: token rotation: ${rotation.message}\n`);
  for (const line of schemaLines(result.gateway)) process.stderr.write(`Warning: ${line}\n`);
  const lines = [result.message];
  const modules = result.modules;
  if (modules !== undefined) {
    const usable = modules.filter((m) => m.ok).length;
    lines.push(`Modules this token may use: ${usable} of ${modules.length}`);
    const width = Math.max(...modules.map((m) => m.name.length));
    for (const m of modules) {
      const label = m.name.padEnd(width);
      lines.push(m.ok ? `  ok       ${label}`.trimEnd() : `  refused  ${label}  ${m.reason ?? ''}`.trimEnd());
    }
    if (result.rotationMethod !== undefined) lines.push(forecastLine(result.rotationMethod));
    lines.push(MODULES_TIP);
  }
  process.stdout.write(`${lines.join('\n')}\n`);
}

/** The schema report as warning lines (none when the tenant has everything the streams read). */
function schemaLines(gateway: SchemaReport | undefined): string[] {
  if (gateway === undefined) return [];
  if (!gateway.ok) return [`could not read the tenant's Gateway schema: ${gateway.error}`];
  return [...gateway.warnings, ...(gateway.missing ? [gateway.missing] : [])];
}
