import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { redactTokens } from '../common/redact.js';
import { UserError } from '../common/userError.js';
import { clientForConnection } from '../connections/client.js';
import { readToken } from '../connections/connections.js';
import { DEFAULT_CONNECTION, validateConnectionName } from '../connections/name.js';
import {
  type HttpMethod,
  isModuleKey,
  isTaniumError,
  MODULE_KEYS,
  REDACTED,
  redactSecrets,
} from '../sdk/index.js';
import { withConnections } from './context.js';
import type { GlobalOptions } from './output.js';
import { requestTimeouts } from './requestTimeouts.js';

export const REQUEST_METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'] as const;
type RequestMethod = (typeof REQUEST_METHODS)[number];

interface RequestOptions {
  name: string;
  data?: string;
  timeout?: string;
}

/**
 * `tanium-bridge request <module> <METHOD> <path>`: one call to a module's API (seed 001's "Tanium …
 * API request" actions). The path is relative to the module's base and checked by the SDK before
 * anything is sent; the answer is printed as JSON.
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
    .action(async (moduleKey: string, methodText: string, path: string, options: RequestOptions, command) => {
      const global = (command as Command).optsWithGlobals<GlobalOptions>();
      if (!isModuleKey(moduleKey)) {
        throw new UserError(`Unknown module "${moduleKey}": use one of ${MODULE_KEYS.join(', ')}.`);
      }
      const method = parseMethod(methodText);
      const data = options.data === undefined ? undefined : parseData(options.data);
      if (data !== undefined && method === 'GET') {
        throw new UserError('--data cannot be sent with GET: use POST, PUT, PATCH or DELETE.');
      }
      const name = validateConnectionName(options.name);
      await withConnections(global, async (ctx) => {
        const settings = await ctx.store.sync.settings(name);
        const { client } = await clientForConnection(ctx, name, {
          timeouts: requestTimeouts(settings, options.timeout),
        });
        // Only to redact it, should an answer or an error quote it.
        const token = await readToken(ctx, name);
        try {
          const answer = await client
            .module(moduleKey)
            .request(method, path, data === undefined ? {} : { data: data.value });
          const text = global.json ? JSON.stringify(answer ?? null) : JSON.stringify(answer ?? null, null, 2);
          // The connection's own token is never printed; other token strings (a token just created
          // through POST /api/v2/api_tokens) are the answer the caller asked for.
          process.stdout.write(`${token.length >= 4 ? text.split(token).join(REDACTED) : text}\n`);
        } catch (error) {
          if (!isTaniumError(error)) throw error;
          // Usage errors (a refused path) and API errors alike: one line, the token removed.
          throw new UserError(oneLine(redactSecrets(error.message, [token])));
        } finally {
          await client.close();
        }
      });
    });
}

function parseMethod(text: string): RequestMethod {
  const upper = text.toUpperCase();
  const found = REQUEST_METHODS.find((m) => m === upper);
  if (found === undefined) {
    throw new UserError(`Invalid method "${text}": use one of ${REQUEST_METHODS.join(', ')}.`);
  }
  return found satisfies HttpMethod;
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
