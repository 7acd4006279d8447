import { createRemoteJWKSet, errors, jwtVerify } from 'jose';
import { Problem } from '../../common/problem.js';
import type { CloudflareAccess } from './settings.js';

/** A refused token: one reason, never the token's text. */
const refused = (reason: string) =>
  new Problem({
    code: 'cloudflare_token_refused',
    kind: 'forbidden',
    message: `The Cloudflare Access token was refused: ${reason}.`,
    fix: 'Call through the Cloudflare Access application whose AUD tag and team the service was given.',
  });

/**
 * Verifies `Cf-Access-Jwt-Assertion` tokens (RS256) against the team's key set at
 * `<issuer>/cdn-cgi/access/certs`, as Cloudflare documents for validating Access JWTs. jose's remote
 * key set caches the keys and fetches them again when a token names a key id it does not hold (key
 * rotation), at most once per 30 s.
 */
export class AccessTokenVerifier {
  readonly #keys: ReturnType<typeof createRemoteJWKSet>;

  constructor(private readonly settings: CloudflareAccess) {
    this.#keys = createRemoteJWKSet(new URL('/cdn-cgi/access/certs', settings.issuer), {
      timeoutDuration: 5_000,
      cooldownDuration: 30_000,
      cacheMaxAge: 10 * 60_000,
    });
  }

  async verify(token: string | undefined, now: Date): Promise<void> {
    if (!token) throw refused('the Cf-Access-Jwt-Assertion header is missing');
    try {
      await jwtVerify(token, this.#keys, {
        algorithms: ['RS256'],
        issuer: this.settings.issuer,
        audience: this.settings.audience,
        currentDate: now,
        requiredClaims: ['exp', 'iss', 'aud'],
      });
    } catch (error) {
      throw refused(reasonOf(error));
    }
  }
}

function reasonOf(error: unknown): string {
  if (error instanceof errors.JWTExpired) return 'it has expired';
  if (error instanceof errors.JWTClaimValidationFailed)
    return error.claim === 'aud'
      ? 'it is for another application (aud)'
      : error.claim === 'iss'
        ? 'another team issued it (iss)'
        : `its ${error.claim} claim is not valid`;
  if (error instanceof errors.JWKSNoMatchingKey) return "no key of the team's key set matches it";
  if (error instanceof errors.JWSSignatureVerificationFailed) return 'its signature does not verify';
  if (error instanceof errors.JOSEAlgNotAllowed) return 'it is not signed with RS256';
  if (error instanceof errors.JWKSTimeout || error instanceof TypeError)
    return "the team's key set could not be fetched";
  if (error instanceof errors.JOSEError) return 'it is not a valid JWT';
  return "the team's key set could not be fetched";
}
