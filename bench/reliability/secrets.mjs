// The secret search: every file the campaign wrote (homes, databases and their WAL, outputs of every
// process, the server's logs, exports) is searched for every token string and API key it saw, with
// and without the `token-` prefix.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, secrets, Tally } from './kit.mjs';

function* files(dir) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) yield* files(path);
    else if (entry.isFile()) yield path;
  }
}

export function secretSearch() {
  const t = new Tally('secret search');
  const needles = [...secrets].flatMap((s) => (s.startsWith('token-') ? [s, s.slice('token-'.length)] : [s]));
  let count = 0;
  let bytes = 0;
  for (const path of files(ROOT)) {
    count++;
    bytes += statSync(path).size;
    const text = readFileSync(path).toString('latin1');
    for (const needle of needles)
      t.check('no secret in any file', !text.includes(needle), path.slice(ROOT.length));
  }
  t.note(
    `${secrets.size} secrets (token strings and API keys) searched in ${count} files (${(bytes / 1024 / 1024).toFixed(1)} MiB)`,
  );
  return { t, files: count, secrets: secrets.size };
}
