import { isValidIdnaHost } from '../sdk/idna.js';

const SUFFIX = '.cloud.tanium.com';

/** The first rule a refused API domain breaks, in order of what users type most (a URL, the console's host). */
const RULES: ReadonlyArray<{ breaks: (input: string, host: string) => boolean; reason: string }> = [
  { breaks: (i) => i.trim() !== i, reason: 'It has spaces around it: give the hostname alone.' },
  {
    breaks: (i) => !/^[\x21-\x7e]+$/.test(i),
    reason:
      'It holds a space, a control or a non-ASCII character: type an international name in its xn-- form.',
  },
  { breaks: (i) => i.includes('://'), reason: 'It is a URL: give the hostname alone, without https://.' },
  { breaks: (i) => i.includes('@'), reason: 'It holds credentials: give the hostname alone.' },
  { breaks: (i) => /[/?#]/.test(i), reason: 'It has a path, query or slash: give the hostname alone.' },
  { breaks: (i) => i.includes(':'), reason: 'It has a port: the API domain takes none.' },
  { breaks: (i) => i.endsWith('.'), reason: 'It ends with a dot: leave the trailing dot out.' },
  {
    breaks: (_, h) => !h.endsWith(SUFFIX),
    reason: `A Tanium Cloud API domain ends with ${SUFFIX}; for an on-prem server give its URL instead.`,
  },
  {
    breaks: (_, h) => h.slice(0, -SUFFIX.length).includes('.'),
    reason: `Only one name may come before ${SUFFIX}, ending with -api.`,
  },
  {
    breaks: (_, h) => !h.slice(0, -SUFFIX.length).endsWith('-api'),
    reason: `The name before ${SUFFIX} must end with -api: the API's host, not the console's <customer>${SUFFIX}.`,
  },
  {
    breaks: (_, h) => !/^[a-z0-9](?:[a-z0-9-]{0,57}[a-z0-9])?-api\./.test(h),
    reason:
      'The customer name is 1 to 59 letters, digits or inner hyphens, and cannot start or end with a hyphen.',
  },
  { breaks: (_, h) => !isValidIdnaHost(h), reason: 'The xn-- customer name is not valid punycode.' },
];

/** Why `input` is not a Tanium Cloud API domain (the line shown under the source's exact message). */
export function domainReason(input: string): string {
  const host = input.toLowerCase();
  return RULES.find((rule) => rule.breaks(input, host))?.reason ?? 'It is not a Tanium Cloud API hostname.';
}
