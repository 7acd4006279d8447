import { UserError } from '../../common/userError.js';

/** Where Cloudflare Access issues tokens for the posture integration, and for which application. */
export interface CloudflareAccess {
  /** `https://<team>.cloudflareaccess.com`: the tokens' `iss`, and where the key set lives. */
  issuer: string;
  /** The Access application's Audience (AUD) tag: the tokens' `aud`. */
  audience: string;
}

/** The provider's settings from `serve`'s flags; team and AUD may instead be stored through the API. */
export interface CloudflareSettings {
  /** From `--cloudflare-team` and `--cloudflare-aud`; when given they win over stored settings. */
  access?: CloudflareAccess;
  /** A stored policy to score with; absent: the default (require managed). */
  policy?: string;
  /** The connection whose synced store answers; `default` unless given. */
  connection: string;
}

const TEAM = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;
/** Cloudflare shows the AUD tag as 64 hex digits; any hex tag of 16 to 128 digits is taken. */
const AUD = /^[0-9a-f]{16,128}$/i;

/**
 * The issuer of a team: a team name (`acme` or `acme.cloudflareaccess.com`) gives
 * `https://acme.cloudflareaccess.com`. An `http://127.0.0.1:PORT` URL is taken as is, so tests and
 * local trials can stand in for Cloudflare Access on loopback; no other URL is accepted (undefined).
 */
export function issuerOf(team: string): string | undefined {
  const text = team.trim().toLowerCase();
  const loopback = /^http:\/\/(127\.0\.0\.1|\[::1\]|localhost):\d{1,5}$/.exec(text);
  if (loopback) return text;
  const name = text.replace(/^https:\/\//, '').replace(/\.cloudflareaccess\.com\/?$/, '');
  return TEAM.test(name) ? `https://${name}.cloudflareaccess.com` : undefined;
}

/** The AUD tag in lower case, or undefined when it is not a hex tag. */
export function audienceOf(aud: string): string | undefined {
  return AUD.test(aud) ? aud.toLowerCase() : undefined;
}

/** The team as people name it: `acme` for `https://acme.cloudflareaccess.com`, a stand-in's URL as is. */
export function teamOf(issuer: string): string {
  return /^https:\/\/([a-z0-9-]+)\.cloudflareaccess\.com$/.exec(issuer)?.[1] ?? issuer;
}

export const TEAM_HELP =
  'the team name of <team>.cloudflareaccess.com (Zero Trust > Settings > Custom Pages shows it), or https://<team>.cloudflareaccess.com';
export const AUD_HELP =
  "the Access application's Application Audience (AUD) tag, a hex string (its Overview tab shows it)";

export function cloudflareSettings(options: {
  team?: string;
  aud?: string;
  policy?: string;
  connection?: string;
}): CloudflareSettings {
  const base = {
    connection: options.connection ?? 'default',
    ...(options.policy === undefined ? {} : { policy: options.policy }),
  };
  if (options.team === undefined && options.aud === undefined) return base;
  if (!options.team || !options.aud)
    throw new UserError('Give both --cloudflare-team and --cloudflare-aud, or neither.');
  const issuer = issuerOf(options.team);
  if (!issuer) throw new UserError(`Invalid --cloudflare-team "${options.team}": give ${TEAM_HELP}.`);
  const audience = audienceOf(options.aud);
  if (!audience) throw new UserError(`Invalid --cloudflare-aud: give ${AUD_HELP}.`);
  return { ...base, access: { issuer, audience } };
}
