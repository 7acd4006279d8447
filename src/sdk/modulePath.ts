/**
 * Module path validation. Callers (and the `request` CLI action) give a path relative to a module's
 * base; anything that could make the request leave that base or origin, smuggle a header, or reach
 * another host is refused before a request exists.
 */
import { InvalidRequestPathError } from './errors.js';

/** Max times we percent-decode: servers and proxies may decode more than once. */
const DECODE_ROUNDS = 3;

/** C0 and C1 control characters and DEL (CR/LF would split headers; NUL truncates paths). */
function hasControlCharacter(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < 0x20 || (code >= 0x7f && code <= 0x9f)) return true;
  }
  return false;
}

function refuse(path: string, problem: string, fix: string): never {
  const shown = JSON.stringify(path.length > 120 ? `${path.slice(0, 120)}…` : path);
  throw new InvalidRequestPathError(`Invalid request path ${shown}: ${problem}. ${fix}`);
}

/** Decode repeatedly until stable so `%252e%252e` is seen as `..`. Throws on malformed escapes. */
function decodeLayers(text: string): string[] {
  const layers = [text];
  let current = text;
  for (let i = 0; i < DECODE_ROUNDS; i++) {
    const next = decodeURIComponent(current);
    if (next === current) break;
    layers.push(next);
    current = next;
  }
  return layers;
}

const FIX_RELATIVE = 'Give a path relative to the module base, e.g. /v1/assets?limit=1.';

/**
 * One message for every way of writing a dot segment. Servers differ in what they treat as `..`:
 * Tomcat and Spring drop `;parameters` (`..;`), Windows servers split on backslashes and trim trailing
 * spaces, some decode twice or fold full-width dots (NFKC), so all of those count.
 */
const DOT_SEGMENT =
  'it has a dot segment (. or .., also written ..;, %2e%2e, %2e%2e;, ..%3b, double-encoded or between backslashes), which could leave the module base';
const FIX_DOT_SEGMENT = 'Write the path without dot segments, e.g. /v1/assets/1.';

/** `..`, `..;jsessionid=1`, `.. `, `...`, `．．` (full-width): a segment some server reads as . or .. */
function isDotSegment(segment: string): boolean {
  const name = segment
    .normalize('NFKC')
    .split(';')[0]!
    .replace(/[ \t]+$/, '');
  return name.length > 0 && /^\.+$/.test(name);
}

function checkCharacters(path: string): void {
  if (typeof path !== 'string' || path.length === 0) refuse(String(path), 'the path is empty', FIX_RELATIVE);
  if (hasControlCharacter(path)) {
    refuse(
      path,
      'it contains control characters (CR, LF, tab, NUL...)',
      'Remove them; encode data in the query string.',
    );
  }
  if (/\s/.test(path)) refuse(path, 'it contains whitespace', 'Percent-encode spaces as %20.');
}

function checkReferences(path: string): void {
  if (/^[a-z][a-z0-9+.-]*:/i.test(path)) {
    refuse(
      path,
      'it is an absolute URL (has a scheme)',
      `${FIX_RELATIVE} The host is always the connection's own.`,
    );
  }
  if (path.startsWith('//')) refuse(path, 'it starts with // (a host reference)', FIX_RELATIVE);
  if (path.includes('@'))
    refuse(path, 'it contains @ (user-info syntax)', 'Percent-encode @ as %40 inside query values.');
  if (path.includes('#')) refuse(path, 'it contains a # fragment', 'Remove the fragment; it is never sent.');
}

function checkEncoding(path: string): void {
  let layers: string[] = [];
  try {
    layers = decodeLayers(path);
  } catch {
    refuse(path, 'it has malformed percent-encoding', 'Encode % as %25.');
  }
  for (const layer of layers.slice(1)) {
    if (hasControlCharacter(layer)) {
      refuse(path, 'it contains encoded control characters (%0d, %0a, %00...)', 'Remove them.');
    }
  }
}

/** The path part (before `?`), raw and decoded: dot segments first, so `..\\` is named as one. */
function checkPathPart(path: string, rawPathPart: string): void {
  const layers = decodeLayers(rawPathPart);
  for (const layer of layers) {
    if (layer.split(/[/\\]/).some(isDotSegment)) refuse(path, DOT_SEGMENT, FIX_DOT_SEGMENT);
  }
  for (const layer of layers) {
    if (layer.includes('\\')) {
      refuse(path, 'it contains a backslash (also as %5c)', 'Use forward slashes only.');
    }
    if (layer.startsWith('//') || /^\/?[a-z][a-z0-9+.-]*:/i.test(layer)) {
      refuse(path, 'it decodes to a host reference or URL', FIX_RELATIVE);
    }
    if (layer !== rawPathPart && layer.split('/').length !== rawPathPart.split('/').length) {
      refuse(path, 'it contains an encoded slash (%2f) in the path', 'Use literal slashes between segments.');
    }
  }
}

/**
 * Check `path` and return the absolute URL it names under `origin` + `basePath`.
 * `basePath` has a leading slash and no trailing one (e.g. `/plugin/products/patch`).
 */
export function resolveModulePath(origin: string, basePath: string, path: string): URL {
  checkCharacters(path);
  checkReferences(path);
  checkEncoding(path);
  const withSlash = path.startsWith('/') ? path : `/${path}`;
  const queryAt = withSlash.indexOf('?');
  checkPathPart(path, queryAt === -1 ? withSlash : withSlash.slice(0, queryAt));
  if (path.includes('\\')) refuse(path, 'it contains a backslash (also as %5c)', 'Use forward slashes only.');

  const url = new URL(`${basePath}${withSlash}`, origin);
  // Belt and braces: URL resolution must not have moved us to another origin or out of the base.
  if (url.origin !== origin || !url.pathname.startsWith(`${basePath}/`)) {
    refuse(path, `it resolves outside ${basePath} on this host`, FIX_RELATIVE);
  }
  return url;
}
