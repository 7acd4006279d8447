/**
 * What a person should do next, as data: services say it in words any interface can show ("store a
 * new token") and name the step here; each interface spells it its own way (the CLI as a command line,
 * the web UI as a button, the API as this object).
 */
export type NextStep =
  /** Create a token in the Tanium console and store it as the connection's token (Replace). */
  | { step: 'replace_token'; connection: string }
  /** Run a rotation (it recovers or finishes an interrupted one first). */
  | { step: 'rotate'; connection: string; via?: string }
  /** Schedule rotate-if-due (serve's scheduler, or cron): it also learns the token's expiry. */
  | { step: 'rotate_if_due'; connection: string }
  /** Run a sync again: it resumes from the pages already stored. */
  | { step: 'sync'; connection: string }
  /** Change the connection's address (domain or server URL). */
  | { step: 'edit_connection'; connection: string; kind: 'cloud' | 'server' };
