import pino, { type DestinationStream, type Logger } from 'pino';
import { REDACTED, redactTokens } from './redact.js';

export const LOG_LEVEL_ENV = 'TANIUM_BRIDGE_LOG_LEVEL';

/**
 * Fields that hold a token under the names Tanium and this code use. Paths are exact: pino does not
 * search deeper than a path says, which is why messages and errors are also scrubbed by pattern.
 */
export const REDACT_PATHS = [
  'token',
  'token_string',
  'tokenString',
  'session',
  'headers.session',
  '*.token',
  '*.token_string',
  '*.tokenString',
  '*.session',
  '*.headers.session',
];

export interface LoggerOptions {
  level?: string;
  /** Where lines go; stderr by default, so stdout stays clean for `--json` output. */
  destination?: DestinationStream;
}

/**
 * The structured logger. Logs go to stderr (not a file under HOME): a CLI run is short, and a service
 * runs under a supervisor that already collects stderr. Level from TANIUM_BRIDGE_LOG_LEVEL, default `warn`.
 */
export function createLogger(options: LoggerOptions = {}): Logger {
  const level = options.level ?? process.env[LOG_LEVEL_ENV] ?? 'warn';
  return pino(
    {
      level,
      redact: { paths: REDACT_PATHS, censor: REDACTED },
      serializers: { err: serializeError },
      hooks: {
        // Scrub token-shaped text from the message and its printf arguments.
        logMethod(args, method) {
          const clean = args.map((arg) => (typeof arg === 'string' ? redactTokens(arg) : arg));
          method.apply(this, clean as Parameters<typeof method>);
        },
      },
    },
    options.destination ?? pino.destination({ fd: 2, sync: true }),
  );
}

/** Errors keep their type and message, with tokens scrubbed from the message and stack. */
export function serializeError(error: unknown): unknown {
  if (!(error instanceof Error)) return typeof error === 'string' ? redactTokens(error) : error;
  return {
    type: error.name,
    message: redactTokens(error.message),
    ...(error.stack === undefined ? {} : { stack: redactTokens(error.stack) }),
  };
}
