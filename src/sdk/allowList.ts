/**
 * Outbound allow-list: the token only ever goes to the connection's own host.
 * - cloud: HTTPS to exactly `<customer>-api.cloud.tanium.com`, and the name must resolve to public
 *   addresses only (checked at connect time, after DNS, so a poisoned or rebound name cannot pull
 *   the token inside the network);
 * - server: exactly the origin the admin entered, HTTPS, except plain HTTP to loopback (emulator).
 */
import dns from 'node:dns';
import { isIP } from 'node:net';
import { isLoopbackAddress, isNonPublicAddress } from './addresses.js';
import { ClientConfigError, ConnectionError } from './errors.js';
import { isValidIdnaHost } from './idna.js';

export { isLoopbackAddress, isNonPublicAddress } from './addresses.js';

export type Target = { kind: 'cloud'; domain: string } | { kind: 'server'; url: string };

/** What the resolved addresses of the pinned host must be. */
export type AddressPolicy = 'public-only' | 'loopback-only' | 'any';

export interface PinnedOrigin {
  origin: string;
  protocol: 'https:' | 'http:';
  hostname: string;
  port: string;
  addressPolicy: AddressPolicy;
}

const CLOUD_DOMAIN = /^[a-z0-9](?:[a-z0-9-]{0,57}[a-z0-9])?-api\.cloud\.tanium\.com$/;

function violates(policy: AddressPolicy, address: string): boolean {
  if (policy === 'public-only') return isNonPublicAddress(address);
  if (policy === 'loopback-only') return !isLoopbackAddress(address);
  return false;
}

/** Validate a target and pin the one origin requests may go to. */
export function pinTarget(target: Target): PinnedOrigin {
  if (target.kind === 'cloud') {
    const domain = target.domain.trim().toLowerCase();
    if (!CLOUD_DOMAIN.test(domain) || !isValidIdnaHost(domain)) {
      throw new ClientConfigError(
        `Invalid Tanium Cloud domain "${target.domain}": expected a bare host name like acme-api.cloud.tanium.com (no https://, path or port).`,
      );
    }
    return {
      origin: `https://${domain}`,
      protocol: 'https:',
      hostname: domain,
      port: '',
      addressPolicy: 'public-only',
    };
  }
  let url: URL;
  try {
    url = new URL(target.url);
  } catch {
    throw new ClientConfigError(
      `Invalid server URL "${target.url}": expected e.g. https://tanium.example.com`,
    );
  }
  if (url.username !== '' || url.password !== '') {
    throw new ClientConfigError(
      'Invalid server URL: remove the user name and password; the token is sent as a header.',
    );
  }
  if ((url.pathname !== '/' && url.pathname !== '') || url.search !== '' || url.hash !== '') {
    throw new ClientConfigError(
      `Invalid server URL "${url.origin}${url.pathname}": give the origin only, e.g. ${url.origin}`,
    );
  }
  const hostname = url.hostname.replace(/^\[|\]$/g, '');
  if (url.protocol === 'http:') {
    const loopback = hostname === 'localhost' || isLoopbackAddress(hostname);
    if (!loopback) {
      throw new ClientConfigError(
        `Refusing plain HTTP to ${url.host}: the token would travel unencrypted. Use https://, or http:// only for a loopback address (the emulator).`,
      );
    }
    return {
      origin: url.origin,
      protocol: 'http:',
      hostname: url.hostname,
      port: url.port,
      addressPolicy: 'loopback-only',
    };
  }
  if (url.protocol !== 'https:') {
    throw new ClientConfigError(`Unsupported scheme ${url.protocol} in server URL: use https://`);
  }
  return {
    origin: url.origin,
    protocol: 'https:',
    hostname: url.hostname,
    port: url.port,
    addressPolicy: 'any',
  };
}

/** Refuse any URL that is not the pinned origin. Called for every request before it is sent. */
export function assertAllowedUrl(url: URL, pinned: PinnedOrigin): void {
  const same =
    url.protocol === pinned.protocol &&
    url.hostname === pinned.hostname &&
    url.port === pinned.port &&
    url.username === '' &&
    url.password === '';
  if (!same) {
    throw new ConnectionError(
      `Blocked request to ${url.protocol}//${url.host}: this connection may only send its token to ${pinned.origin}.`,
      { code: 'BLOCKED_HOST', mayHaveReachedServer: false, path: url.pathname },
    );
  }
}

type LookupCallback = (
  err: NodeJS.ErrnoException | null,
  address: string | dns.LookupAddress[],
  family?: number,
) => void;
/** The `lookup` signature `net.connect` and `tls.connect` call. */
export type LookupFunction = (hostname: string, options: dns.LookupOptions, callback: LookupCallback) => void;

function blockedError(hostname: string, address: string, policy: AddressPolicy): NodeJS.ErrnoException {
  const want = policy === 'public-only' ? 'public addresses only' : 'a loopback address';
  const error: NodeJS.ErrnoException = new Error(
    `${hostname} resolved to ${address}; this connection allows ${want}, so the token is not sent there.`,
  );
  error.code = 'BLOCKED_ADDRESS';
  return error;
}

/** Wrap a DNS lookup so that every resolved address is checked against the policy before connecting. */
export function guardedLookup(
  policy: AddressPolicy,
  base: LookupFunction = dns.lookup as LookupFunction,
): LookupFunction {
  return (hostname, options, callback) => {
    base(hostname, options, (err, address, family) => {
      if (err) return callback(err, address, family);
      const list = Array.isArray(address) ? address.map((a) => a.address) : [address];
      const bad = list.find((a) => violates(policy, a));
      if (bad !== undefined) return callback(blockedError(hostname, bad, policy), address, family);
      callback(null, address, family);
    });
  };
}

/** The same check as a promise, for proxied requests where the proxy (not us) resolves the name. */
export function checkResolvedHost(
  hostname: string,
  policy: AddressPolicy,
  base?: LookupFunction,
): Promise<void> {
  if (policy === 'any' || isIP(hostname.replace(/^\[|\]$/g, '')) !== 0) return Promise.resolve();
  const lookup = guardedLookup(policy, base);
  return new Promise((resolve, reject) => {
    lookup(hostname, { all: true }, (err) => (err ? reject(err) : resolve()));
  });
}
