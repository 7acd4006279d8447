import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The built web pages (vite's outDir, ui/vite.config.ts): `dist/ui` of this package, found from the
 * package root so that compiled code (dist/) and the sources run by the tests (src/) agree.
 */
export function uiRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json'))) {
    const parent = dirname(dir);
    if (parent === dir) break;
    dir = parent;
  }
  return join(dir, 'dist', 'ui');
}
