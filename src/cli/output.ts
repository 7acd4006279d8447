/** Global options every command accepts (BRIEF section 5). */
export interface GlobalOptions {
  json?: boolean;
  home?: string;
  /** `--db URL`: a PostgreSQL database instead of the home folder's SQLite file. */
  db?: string;
}

/** Writes one line of machine-readable output. */
export function printJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value)}\n`);
}

/** Writes human output, or the JSON form when `--json` was given. */
export function printResult(options: GlobalOptions, json: unknown, human: string): void {
  if (options.json) printJson(json);
  else process.stdout.write(human.endsWith('\n') ? human : `${human}\n`);
}
