import { UserError } from '../../common/userError.js';

/** Where Cloudflare Access issues tokens for the posture integration, and for which application. */
export interface CloudflareSettings {
  /** `https://<team>.cloudflareaccess.com`: the tokens' `iss`, and where the key set lives. */
  issuer: string;
  /** The Access application's Audience (AUD) tag: the tokens' `aud`. */
  audience: string;
  /** A stored policy to score with; absent: the default (require managed). */
  policy?: string;
  /** The connection whose synced store answers; `default` unless given. */
  connection: string;
}

const TEAM = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;

/**
 * The issuer of a team: a team name (`acme` or `acme.cloudflareaccess.com`) gives
 * `https://acme.cloudflareaccess.com`. An `http://127.0.0.1:PORT` URL is taken as is, so tests and
 * local trials can stand in for Cloudflare Access on loopback; no other URL is accepted.
 */
export function issuerFor(team: string): string {
  const text = team.trim().toLowerCase();
  const loopback = /^http:\/\/(127\.0\.0\.1|\[::1\]|localhost):\d{1,5}$/.exec(text);
  if (loopback) return text;
  const name = text.replace(/^https:\/\//, '').replace(/\.cloudflareaccess\.com\/?$/, '');
  if (TEAM.test(name)) return `https://${name}.cloudflareaccess.com`;
  throw new UserError(
    `Invalid --cloudflare-team "${team}": give the team name of <team>.cloudflareaccess.com (Zero Trust > Settings > Custom Pages shows it).`,
  );
}

export function cloudflareSettings(options: {
  team?: string;
  aud?: string;
  policy?: string;
  connection?: string;
}): CloudflareSettings | undefined {
  if (options.team === undefined && options.aud === undefined) return undefined;
  if (!options.team || !options.aud)
    throw new UserError('Give both --cloudflare-team and --cloudflare-aud, or neither.');
  if (!/^[0-9a-f]{16,128}$/i.test(options.aud))
    throw new UserError(
      `Invalid --cloudflare-aud: give the Access application's Application Audience (AUD) tag, a hex string.`,
    );
  return {
    issuer: issuerFor(options.team),
    audience: options.aud.toLowerCase(),
    connection: options.connection ?? 'default',
    ...(options.policy === undefined ? {} : { policy: options.policy }),
  };
}
