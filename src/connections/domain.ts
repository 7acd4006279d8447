import { UserError } from '../common/userError.js';
import { isValidIdnaHost } from '../sdk/idna.js';
import { domainReason } from './domainReason.js';
import { requiredError } from './required.js';

/** The workflow integration guide's exact message for anything that is not a bare Tanium Cloud API hostname. */
export const INVALID_DOMAIN_MESSAGE =
  'Failed to install integration: Invalid API domain: invalid API domain format: expected `<customer>-api.cloud.tanium.com`';

/**
 * `<customer>-api` is one DNS label: letters, digits and inner hyphens, at most 63 characters in all,
 * so `<customer>` is 1 to 59 characters and cannot start or end with a hyphen.
 */
const CLOUD_HOST = /^[a-z0-9](?:[a-z0-9-]{0,57}[a-z0-9])?-api\.cloud\.tanium\.com$/;

/**
 * Validates the API Domain of a Tanium Cloud connection and returns it lower-cased.
 *
 * Empty or blank input gives "This field is required". Everything else must be exactly a bare
 * hostname `<customer>-api.cloud.tanium.com`: no scheme, path, trailing slash or dot, port,
 * credentials, query, surrounding spaces or non-ASCII characters, and a punycode (`xn--`) customer
 * label must be valid IDNA (decode and encode back to itself). Hostnames are case-insensitive, so
 * `ACME-API.Cloud.Tanium.com` is accepted and stored as `acme-api.cloud.tanium.com`.
 */
export function validateCloudDomain(input: string): string {
  if (input.trim() === '') throw requiredError();
  // ASCII check before lower-casing: some non-ASCII letters lower-case to ASCII (U+212A KELVIN SIGN → k).
  if (!/^[\x21-\x7e]+$/.test(input)) throw invalidDomain(input);
  const host = input.toLowerCase();
  if (!CLOUD_HOST.test(host) || !isValidIdnaHost(host)) throw invalidDomain(input);
  return host;
}

/** The source's exact message; the reason goes in `details.reason`, shown on the next line. */
function invalidDomain(input: string): UserError {
  return new UserError(INVALID_DOMAIN_MESSAGE, {
    details: { reason: domainReason(input) },
  });
}
