import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { redactTokens } from '../common/redact.js';
import { UserError } from '../common/userError.js';
import { REQUEST_METHODS, sendModuleRequest } from '../connections/moduleRequest.js';
import { DEFAULT_CONNECTION, validateConnectionName } from '../connections/name.js';
import { MODULE_KEYS } from '../sdk/index.js';
import { withConnections } from './context.js';
import type { GlobalOptions } from './output.js';
import { parseSeconds } from './parseNumber.js';

interface RequestOptions {
  name: string;
  data?: string;
  timeout?: string;
}

/**
 * `tanium-bridge request <module> <METHOD> <path>`: one call to a module's API (the workflow product's
 * "Tanium … API request" actions), sent and audited by src/connections/moduleRequest.ts; the answer is
 * printed as JSON.
 */
export function registerRequest(program: Command): void {
  program
    .command('request')
    .description(`call a module's API and print the JSON answer; module: ${MODULE_KEYS.join(', ')}`)
    .argument('<module>', `one of: ${MODULE_KEYS.join(', ')}`)
    .argument('<method>', REQUEST_METHODS.join(', '))
    .argument('<path>', "relative to the module's base, e.g. /v1/assets?limit=1")
    .option('--data <json>', 'JSON body, or @file to read it from a file')
    .option('--name <name>', 'connection name', DEFAULT_CONNECTION)
    .option(
      '--timeout <seconds>',
      "give up on an answer after this many seconds (default: the connection's, else 30)",
    )
    .action(async (module: string, method: string, path: string, options: RequestOptions, command) => {
      const global = (command as Command).optsWithGlobals<GlobalOptions>();
      const data = options.data === undefined ? undefined : parseData(options.data);
      if (data !== undefined && method.toUpperCase() === 'GET')
        throw new UserError('--data cannot be sent with GET: use POST, PUT, PATCH or DELETE.');
      const name = validateConnectionName(options.name);
      const timeoutMs =
        options.timeout === undefined ? undefined : parseSeconds(options.timeout, '--timeout');
      await withConnections(global, async (ctx) => {
        const answer = await sendModuleRequest(ctx, name, {
          module,
          method,
          path,
          ...(data === undefined ? {} : { body: data.value }),
          ...(timeoutMs === undefined ? {} : { timeoutMs }),
          actor: 'cli',
        });
        const text = global.json
          ? JSON.stringify(answer.data ?? null)
          : JSON.stringify(answer.data ?? null, null, 2);
        process.stdout.write(`${text}\n`);
      });
    });
}

/** `--data`: inline JSON, or `@file` holding JSON. Refused with the parser's reason, never echoed whole. */
export function parseData(text: string): { value: unknown } {
  let source = 'the --data value';
  let json = text;
  if (text.startsWith('@')) {
    const file = text.slice(1);
    if (file === '')
      throw new UserError('Invalid --data "@": give a file name after @, e.g. --data @body.json.');
    source = `the file ${file}`;
    try {
      json = readFileSync(file, 'utf8');
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code ?? 'unreadable';
      throw new UserError(`Cannot read --data file ${file} (${code}).`);
    }
  }
  try {
    return { value: JSON.parse(json) };
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new UserError(
      `Invalid JSON in ${source}: ${oneLine(redactTokens(reason))}. Give a JSON document, e.g. --data '{"name":"x"}'.`,
    );
  }
}

function oneLine(text: string): string {
  return text.replace(/\s*[\r\n]+\s*/g, ' ').trim();
}
