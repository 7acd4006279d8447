/** The Cloudflare Access team and application stored through the API, with who changed them and when. */
export interface StoredCloudflareAccess {
  /** `https://<team>.cloudflareaccess.com` (or a loopback stand-in): the tokens' `iss`. */
  issuer: string;
  /** The Access application's Audience (AUD) tag: the tokens' `aud`. */
  audience: string;
  changedBy: string;
  changedAt: string;
}

/** One change: settings stored, or cleared (issuer and audience null). */
export interface CloudflareSettingsChange {
  version: number;
  issuer: string | null;
  audience: string | null;
  changedBy: string;
  changedAt: string;
}

/**
 * Every change is kept as a new version, like stored policies; the newest decides. A clear is a
 * version too, so the history says who removed the settings and when.
 */
export interface CloudflareSettingsRepository {
  /** The settings in force, or undefined when none were stored or the newest change cleared them. */
  current(): Promise<StoredCloudflareAccess | undefined>;
  save(settings: StoredCloudflareAccess): Promise<CloudflareSettingsChange>;
  /** Records a clear; false (and nothing recorded) when nothing was in force. */
  clear(changedBy: string, changedAt: string): Promise<boolean>;
  history(): Promise<CloudflareSettingsChange[]>;
}
