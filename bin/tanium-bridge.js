#!/usr/bin/env node
// Entry point: `node bin/tanium-bridge.js` from the clone (docs/cli.md). The TypeScript sources are compiled to dist/ by `npm install` (prepare).
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const entry = new URL('../dist/cli/main.js', import.meta.url);
if (!existsSync(fileURLToPath(entry))) {
  process.stderr.write(
    'tanium-bridge is not built yet: run `npm install` (or `npm run build`) in the repository first.\n',
  );
  process.exit(1);
}
const { main } = await import(entry.href);
const code = await main(process.argv);
// Long-running commands (emulator, serve) keep the event loop alive and never get here until they stop.
process.exitCode = code;
