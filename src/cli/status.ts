import type { Command } from 'commander';
import { getConnection, listConnections } from '../connections/editConnection.js';
import { validateConnectionName } from '../connections/name.js';
import type { ConnectionView } from '../connections/view.js';
import { withConnections } from './context.js';
import { commandLine, spellStep, stepCommand } from './hints.js';
import { type GlobalOptions, printResult } from './output.js';

/** `tanium-bridge status`: every connection (or the named one) with its masked token. */
export function registerStatus(program: Command): void {
  program
    .command('status')
    .description('show connections, with their tokens masked')
    .option('--name <name>', 'show only this connection')
    .action(async (options: { name?: string }, command: Command) => {
      const global = command.optsWithGlobals<GlobalOptions>();
      const name = options.name === undefined ? undefined : validateConnectionName(options.name);
      await withConnections(global, async (ctx) => {
        const views = name === undefined ? await listConnections(ctx) : [await getConnection(ctx, name)];
        const human =
          views.length === 0
            ? `No connections yet: run \`${commandLine(global, 'connect --domain <customer>-api.cloud.tanium.com')}\`.`
            : views.map((view) => formatConnection(view, global)).join('\n\n');
        printResult(global, { connections: views }, human);
      });
    });
}

/** Human lines for one connection, aligned for `status`. */
function formatConnection(view: ConnectionView, global: GlobalOptions): string {
  const lines = [
    `${view.name}`,
    `  kind     ${view.kind === 'cloud' ? 'Tanium Cloud' : 'server'}`,
    `  ${view.kind === 'cloud' ? 'domain' : 'url   '}   ${view.domain ?? view.url}`,
    `  token    ${view.token.masked ?? `unreadable: ${view.token.error}`}`,
    ...rotationLines(view, global),
    `  created  ${view.createdAt}`,
    `  updated  ${view.updatedAt}`,
  ];
  return lines.join('\n');
}

function rotationLines(view: ConnectionView, global: GlobalOptions): string[] {
  const r = view.rotation;
  const expires =
    r.expiresAt === null
      ? `unknown (run \`${stepCommand({ step: 'rotate_if_due', connection: view.name }, global)}\` to learn it)`
      : `${r.expiresAt} (${r.daysLeft} days left${r.tokenId === null ? '' : `, token id ${r.tokenId}`})`;
  const last =
    r.lastAttemptAt === null
      ? 'never'
      : `${r.lastAttemptAt}: ${r.lastOutcome ?? r.phase}${r.lastError === null ? '' : ` (${r.lastError})`}`;
  const lines = [`  expires  ${expires}`, `  rotated  ${last}`];
  if (r.problem !== null) lines.push(`  PROBLEM  ${spellStep(r.problem, r.next, global)}`);
  return lines;
}
