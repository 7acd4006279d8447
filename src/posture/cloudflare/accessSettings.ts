import { Problem } from '../../common/problem.js';
import type { StoredCloudflareAccess } from '../../store/cloudflareSettings.js';
import type { Store } from '../../store/store.js';
import { AccessTokenVerifier } from './accessToken.js';
import { AUD_HELP, audienceOf, type CloudflareAccess, issuerOf, TEAM_HELP, teamOf } from './settings.js';

/** Which settings apply: serve's flags (they win), those stored through the API, or none. */
export type AccessSource = 'flags' | 'api' | 'none';

/** What `GET /v1/integrations/cloudflare/settings` answers (nothing here is a secret). */
export interface AccessSettingsView {
  source: AccessSource;
  team: string | null;
  issuer: string | null;
  aud: string | null;
  /** Who stored the settings in force and when (null unless the source is `api`). */
  changedBy: string | null;
  changedAt: string | null;
  /** Settings stored through the API that the flags override (null when there are none). */
  overridden: { team: string; aud: string; changedBy: string; changedAt: string } | null;
  /** Every change stored through the API, oldest first; a clear has team and aud null. */
  history: {
    version: number;
    team: string | null;
    aud: string | null;
    changedBy: string;
    changedAt: string;
  }[];
}

const notConfigured = () =>
  new Problem({
    code: 'cloudflare_not_configured',
    kind: 'unavailable',
    message:
      'The Cloudflare posture provider is not configured: serve was started without --cloudflare-team and --cloudflare-aud, and no team and AUD tag are stored through PUT /v1/integrations/cloudflare/settings.',
    fix: 'Store them with PUT /v1/integrations/cloudflare/settings {"team","aud"} (an admin key), or restart serve with --cloudflare-team <team> --cloudflare-aud <AUD tag> (docs/posture.md, Cloudflare).',
  });

const fromFlags = () =>
  new Problem({
    code: 'cloudflare_settings_from_flags',
    kind: 'conflict',
    message:
      "The Cloudflare team and AUD tag come from serve's --cloudflare-team and --cloudflare-aud, which win over stored settings: nothing was changed.",
    fix: 'Restart serve without --cloudflare-team and --cloudflare-aud to manage them through the API.',
  });

const quoted = (text: string) => JSON.stringify(text.slice(0, 80));

/** The team and AUD tag checked as the flags check them; a bad one is refused before anything is stored. */
export function parseAccess(body: { team: string; aud: string }): CloudflareAccess {
  const issuer = issuerOf(body.team);
  if (!issuer)
    throw new Problem({
      code: 'invalid_cloudflare_team',
      kind: 'invalid',
      message: `team ${quoted(body.team)} is not a Cloudflare Zero Trust team.`,
      fix: `Give ${TEAM_HELP}.`,
    });
  const audience = audienceOf(body.aud);
  if (!audience)
    throw new Problem({
      code: 'invalid_cloudflare_aud',
      kind: 'invalid',
      message: `aud ${quoted(body.aud)} is not an Access Application Audience (AUD) tag.`,
      fix: `Give ${AUD_HELP}.`,
    });
  return { issuer, audience };
}

/**
 * The Cloudflare Access team and application the posture provider verifies tokens for. Flags given to
 * serve win; otherwise the newest settings stored through the API apply, read on every request so a
 * change (from this process or another on the same store) takes effect without a restart. The key set
 * cache belongs to one team and application: a change starts a new verifier, hence a fresh cache.
 */
export class AccessSettings {
  #verifier: { key: string; verifier: AccessTokenVerifier } | undefined;

  constructor(
    private readonly store: Store,
    private readonly flags: CloudflareAccess | undefined,
  ) {}

  /** The verifier for the settings in force; 503 naming both ways to set them when there are none. */
  async verifier(): Promise<AccessTokenVerifier> {
    const access = this.flags ?? (await this.store.cloudflareSettings.current());
    if (!access) throw notConfigured();
    const key = `${access.issuer} ${access.audience}`;
    if (this.#verifier?.key !== key)
      this.#verifier = {
        key,
        verifier: new AccessTokenVerifier({ issuer: access.issuer, audience: access.audience }),
      };
    return this.#verifier.verifier;
  }

  async view(): Promise<AccessSettingsView> {
    const history = (await this.store.cloudflareSettings.history()).map((change) => ({
      version: change.version,
      team: change.issuer === null ? null : teamOf(change.issuer),
      aud: change.audience,
      changedBy: change.changedBy,
      changedAt: change.changedAt,
    }));
    return { ...(await this.#inForce()), history };
  }

  async #inForce(): Promise<Omit<AccessSettingsView, 'history'>> {
    const stored = await this.store.cloudflareSettings.current();
    if (this.flags)
      return {
        ...describe('flags', this.flags),
        changedBy: null,
        changedAt: null,
        overridden: stored ? { team: teamOf(stored.issuer), aud: stored.audience, ...who(stored) } : null,
      };
    if (stored) return { ...describe('api', stored), ...who(stored), overridden: null };
    return {
      source: 'none',
      team: null,
      issuer: null,
      aud: null,
      changedBy: null,
      changedAt: null,
      overridden: null,
    };
  }

  async save(body: { team: string; aud: string }, actor: string, now: Date): Promise<AccessSettingsView> {
    if (this.flags) throw fromFlags();
    const access = parseAccess(body);
    await this.store.cloudflareSettings.save({ ...access, changedBy: actor, changedAt: now.toISOString() });
    return this.view();
  }

  async clear(actor: string, now: Date): Promise<AccessSettingsView> {
    if (this.flags) throw fromFlags();
    await this.store.cloudflareSettings.clear(actor, now.toISOString());
    return this.view();
  }
}

function describe(source: 'flags' | 'api', access: CloudflareAccess) {
  return { source, team: teamOf(access.issuer), issuer: access.issuer, aud: access.audience };
}

function who(stored: StoredCloudflareAccess) {
  return { changedBy: stored.changedBy, changedAt: stored.changedAt };
}
