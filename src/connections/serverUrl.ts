import { isIP } from 'node:net';
import { UserError } from '../common/userError.js';
import { isValidIdnaHost } from '../sdk/idna.js';
import { requiredError } from './required.js';

const FORM = 'expected https://host[:port], or http://127.0.0.1:PORT for a local emulator';

/**
 * Validates `--server URL` for an on-prem Tanium Server or the emulator and returns its origin
 * (`https://host[:port]`, default port dropped). HTTPS is required except to a loopback address
 * (127.0.0.0/8, ::1, localhost), where plain HTTP reaches only this machine. The token is sent to this
 * origin, so anything that could redirect or hide it is refused: credentials, paths, queries, fragments.
 * The host is checked as typed, before URL parsing normalises it: a trailing dot (`127.0.0.1.`),
 * percent-encoding and invalid punycode are refused rather than silently rewritten.
 */
export function validateServerUrl(input: string): string {
  if (input.trim() === '') throw requiredError();
  if (!/^[\x21-\x7e]+$/.test(input)) throw invalid('it contains spaces or characters outside ASCII');
  const typed = typedHost(input);
  if (typed !== undefined) checkTypedHost(typed);
  let url: URL;
  try {
    url = new URL(input);
  } catch {
    throw invalid('it is not a URL');
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw invalid(`${url.protocol} is not allowed`);
  if (url.username !== '' || url.password !== '') throw invalid('it must not contain credentials');
  // WHATWG URL drops an empty `?` or `#`, so check the text as well.
  if (url.search !== '' || url.hash !== '' || /[?#]/.test(input))
    throw invalid('it must not have a query or fragment');
  if (url.pathname !== '/') throw invalid('it must not have a path');
  if (url.hostname === '') throw invalid('the host name is not valid');
  if (url.hostname.endsWith('.')) throw trailingDot();
  if (url.protocol === 'http:' && !isLoopback(url.hostname))
    throw invalid('plain http:// is allowed only to a loopback address; use https://');
  return url.origin;
}

/**
 * The host exactly as typed: between `scheme://` (and any `user@`) and the port, path, query or
 * fragment. WHATWG URL parsing turns `127.0.0.1.` into `127.0.0.1` and decodes `%2e`, so the checks that
 * the docs promise must look at this text. Undefined when the input has no `//` authority.
 */
function typedHost(input: string): string | undefined {
  const authority = /^[a-z][a-z0-9+.-]*:[/\\]{2}([^/\\?#]*)/i.exec(input)?.[1];
  if (authority === undefined) return undefined;
  const hostAndPort = authority.slice(authority.lastIndexOf('@') + 1);
  if (hostAndPort.startsWith('[')) return hostAndPort.slice(0, hostAndPort.indexOf(']') + 1);
  return hostAndPort.replace(/:[^:]*$/, '');
}

function checkTypedHost(host: string): void {
  if (host.includes('%'))
    throw invalid('the host name is percent-encoded; write it plainly, e.g. tanium.example.com');
  if (host.endsWith('.')) throw trailingDot();
  if (!isValidIdnaHost(host))
    throw invalid('the host name has a punycode (xn--) label that is not valid IDNA; check its spelling');
}

function trailingDot(): UserError {
  return invalid('the host name ends with a dot; remove the trailing dot');
}

/** Loopback after URL normalisation (which turns `127.1` or `0x7f.0.0.1` into `127.0.0.1`). */
export function isLoopback(hostname: string): boolean {
  if (hostname === 'localhost' || hostname === '[::1]') return true;
  return isIP(hostname) === 4 && hostname.startsWith('127.');
}

function invalid(reason: string): UserError {
  // The value is not echoed: it may hold a password (`user:pass@`) or a pasted token.
  return new UserError(`Invalid server URL: ${reason} (${FORM}).`);
}
