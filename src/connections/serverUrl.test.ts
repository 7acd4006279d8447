import { describe, expect, it } from 'vitest';
import { INVALID_SERVERS, VALID_SERVERS } from '../../test/fixtures/domains.js';
import { thrownMessage } from '../../test/helpers/thrown.js';
import { REQUIRED_MESSAGE } from './required.js';
import { isLoopback, validateServerUrl } from './serverUrl.js';

describe('validateServerUrl', () => {
  it.each(VALID_SERVERS.map(([input, origin]) => [input, origin]))('accepts %j as %j', (input, origin) => {
    expect(validateServerUrl(input)).toBe(origin);
  });

  it.each(INVALID_SERVERS.map(([input, reason]) => [input, reason]))('refuses %j', (input, reason) => {
    expect(() => validateServerUrl(input)).toThrow(reason);
  });

  it('requires a value', () => {
    expect(thrownMessage(() => validateServerUrl(' '))).toBe(REQUIRED_MESSAGE);
  });

  it('never echoes the value, which may hold a password', () => {
    expect(() => validateServerUrl('https://admin:hunter2@tanium.example.com')).toThrow(
      /^Invalid server URL: it must not contain credentials/,
    );
    try {
      validateServerUrl('https://admin:hunter2@tanium.example.com');
    } catch (error) {
      expect((error as Error).message).not.toContain('hunter2');
    }
  });

  it('knows loopback after URL normalisation', () => {
    expect(validateServerUrl('http://127.1:9000')).toBe('http://127.0.0.1:9000');
    expect(validateServerUrl('http://0x7f.0.0.1:9000')).toBe('http://127.0.0.1:9000');
    expect(isLoopback('127.255.255.254')).toBe(true);
    expect(isLoopback('128.0.0.1')).toBe(false);
    expect(isLoopback('localhost.example.com')).toBe(false);
  });
});
