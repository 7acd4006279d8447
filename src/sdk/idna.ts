import { domainToASCII, domainToUnicode } from 'node:url';

/**
 * True unless the host has a punycode (`xn--`) label that is not valid IDNA. Such a label must decode
 * to Unicode and encode back to exactly itself (`xn--abc-` decodes to plain `abc`, `xn--a` not at all);
 * otherwise the name can never resolve, and the request would fail later with a confusing DNS error.
 */
export function isValidIdnaHost(host: string): boolean {
  const lower = host.toLowerCase();
  if (!/(?:^|\.)xn--/.test(lower)) return true;
  return domainToASCII(lower) !== '' && domainToASCII(domainToUnicode(lower)) === lower;
}
