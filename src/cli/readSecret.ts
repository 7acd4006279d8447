import { UserError } from '../common/userError.js';

/**
 * Reads a secret the safe ways only: all of standard input when it is a pipe or file (one trailing
 * line break removed), or a hidden prompt on a terminal. Never from argv, where other users and
 * shell history can see it.
 */
export async function readSecret(prompt: string, input: NodeJS.ReadStream = process.stdin): Promise<string> {
  if (input.isTTY) return promptHidden(prompt, input);
  const chunks: Buffer[] = [];
  for await (const chunk of input) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk));
  return Buffer.concat(chunks)
    .toString('utf8')
    .replace(/\r?\n$/, '');
}

/** A prompt on stderr that echoes nothing; Enter ends, Ctrl-C cancels, Backspace and Ctrl-U edit. */
function promptHidden(prompt: string, input: NodeJS.ReadStream): Promise<string> {
  // Echo off before the prompt appears, so nothing typed after seeing it can be echoed.
  input.setRawMode(true);
  input.setEncoding('utf8');
  input.resume();
  process.stderr.write(prompt);
  return new Promise((resolve, reject) => {
    let value = '';
    const finish = () => {
      input.off('data', onData);
      input.setRawMode(false);
      input.pause();
      process.stderr.write('\n');
    };
    const onData = (chunk: string) => {
      // Terminals with bracketed paste wrap pasted text in these markers.
      for (const char of chunk.replaceAll('\u001b[200~', '').replaceAll('\u001b[201~', '')) {
        if (char === '\r' || char === '\n' || (char === '\u0004' && value === '')) {
          finish();
          resolve(value);
          return;
        }
        if (char === '\u0003') {
          finish();
          reject(new UserError('Cancelled.', { exitCode: 130 }));
          return;
        }
        if (char === '\u007f' || char === '\b') value = Array.from(value).slice(0, -1).join('');
        else if (char === '\u0015') value = '';
        else if (char >= ' ') value += char;
      }
    };
    input.on('data', onData);
  });
}

/** Refuses `--token`: the option exists only to answer it with the safe way to pass a token. */
export function refuseTokenOption(value: unknown, commandLine: string): void {
  if (value === undefined) return;
  throw new UserError(
    `Refusing --token: a token on the command line is visible to other users and kept in shell history; pipe it on standard input instead, e.g. \`printf '%s' "$TANIUM_TOKEN" | ${commandLine}\`.`,
  );
}
