import { Command } from 'commander';
import { registerAdmin } from './admin.js';
import { registerApiKey } from './apikey.js';
import { registerCheck } from './check.js';
import { registerConnect } from './connect.js';
import { registerDemo } from './demo.js';
import { registerEmulator } from './emulator.js';
import { registerExport } from './export.js';
import { registerPosture } from './posture.js';
import { registerRemove } from './remove.js';
import { registerRequest } from './request.js';
import { registerRotate } from './rotate.js';
import { registerRotations } from './rotations.js';
import { registerServe } from './serve.js';
import { registerStatus } from './status.js';
import { registerSync } from './sync.js';
import { registerToken } from './token.js';

/** Builds the command tree. Each command lives in its own file and registers itself here. */
export function buildProgram(): Command {
  const program = new Command('tanium-bridge')
    .description('Connect to a Tanium Cloud tenant: rotate tokens, act, sync and decide posture.')
    .option('--json', 'machine-readable output')
    .option('--home <dir>', 'where state lives (default: $TANIUM_BRIDGE_HOME or ~/.tanium-bridge)')
    .showHelpAfterError('(run with --help for usage)')
    .enablePositionalOptions(false);
  registerEmulator(program);
  registerConnect(program);
  registerStatus(program);
  registerToken(program);
  registerRemove(program);
  registerCheck(program);
  registerRequest(program);
  registerRotate(program);
  registerRotations(program);
  registerSync(program);
  registerExport(program);
  registerPosture(program);
  registerDemo(program);
  registerServe(program);
  registerApiKey(program);
  registerAdmin(program);
  return program;
}
