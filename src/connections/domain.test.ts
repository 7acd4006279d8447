import { domainToASCII, domainToUnicode } from 'node:url';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BLANK_DOMAINS, HOSTILE_DOMAINS, VALID_DOMAINS } from '../../test/fixtures/domains.js';
import { thrownMessage } from '../../test/helpers/thrown.js';
import { INVALID_DOMAIN_MESSAGE, validateCloudDomain } from './domain.js';
import { REQUIRED_MESSAGE } from './required.js';

describe('validateCloudDomain', () => {
  it("uses the workflow integration guide's messages word for word", () => {
    expect(INVALID_DOMAIN_MESSAGE).toBe(
      'Failed to install integration: Invalid API domain: invalid API domain format: expected `<customer>-api.cloud.tanium.com`',
    );
    expect(REQUIRED_MESSAGE).toBe('This field is required');
  });

  it.each(BLANK_DOMAINS.map((value) => [value]))('requires a value: %j', (value) => {
    expect(thrownMessage(() => validateCloudDomain(value))).toBe(REQUIRED_MESSAGE);
  });

  it('has a table of at least 25 hostile domains', () => {
    expect(HOSTILE_DOMAINS.length).toBeGreaterThanOrEqual(25);
  });

  it.each(HOSTILE_DOMAINS.map((value) => [value]))('rejects %j with the exact message', (value) => {
    expect(thrownMessage(() => validateCloudDomain(value))).toBe(INVALID_DOMAIN_MESSAGE);
  });

  it.each(VALID_DOMAINS.map(([input, stored]) => [input, stored]))('accepts %j as %j', (input, stored) => {
    expect(validateCloudDomain(input)).toBe(stored);
  });

  it('never accepts anything but a lower-case bare Cloud API host (property)', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 80 }), (text) => {
        let accepted: string;
        try {
          accepted = validateCloudDomain(text);
        } catch (error) {
          expect([REQUIRED_MESSAGE, INVALID_DOMAIN_MESSAGE]).toContain((error as Error).message);
          return;
        }
        expect(accepted).toMatch(/^[a-z0-9-]{1,59}-api\.cloud\.tanium\.com$/);
        expect(accepted).toBe(text.toLowerCase());
      }),
    );
  });

  it('accepts every DNS-label customer that is not punycode (property)', () => {
    const customer = fc
      .stringMatching(/^[a-z0-9](?:[a-z0-9-]{0,57}[a-z0-9])?$/)
      .filter((name) => !name.startsWith('xn--'));
    fc.assert(
      fc.property(customer, (name) => {
        expect(validateCloudDomain(`${name}-api.cloud.tanium.com`)).toBe(`${name}-api.cloud.tanium.com`);
      }),
    );
  });

  it('accepts a punycode customer only when IDNA decodes it and encodes it back (property)', () => {
    const host = fc.stringMatching(/^[a-z0-9]{0,12}$/).map((code) => `xn--${code}-api.cloud.tanium.com`);
    fc.assert(
      fc.property(host, (host) => {
        const roundTrips = domainToASCII(host) !== '' && domainToASCII(domainToUnicode(host)) === host;
        if (roundTrips) expect(validateCloudDomain(host)).toBe(host);
        else expect(thrownMessage(() => validateCloudDomain(host))).toBe(INVALID_DOMAIN_MESSAGE);
      }),
    );
  });
});
