import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger } from './logger.js';
import { redactTokens } from './redact.js';

const TOKEN = 'token-0123456789abcdef0123456789abcdef';

function capture() {
  const lines: string[] = [];
  const destination = new Writable({
    write(chunk, _encoding, done) {
      lines.push(String(chunk));
      done();
    },
  });
  return { lines, logger: createLogger({ level: 'debug', destination }) };
}

describe('logger', () => {
  it('redacts token fields by path', () => {
    const { lines, logger } = capture();
    logger.info({ token: TOKEN, token_string: TOKEN, tokenString: TOKEN, session: TOKEN }, 'fields');
    logger.info({ headers: { session: TOKEN }, request: { token: TOKEN } }, 'nested');
    const text = lines.join('');
    expect(text).not.toContain(TOKEN);
    expect(text).toContain('[REDACTED]');
  });

  it('scrubs token-shaped text from messages, arguments and errors', () => {
    const { lines, logger } = capture();
    logger.warn(`sent ${TOKEN} to the server`);
    logger.warn('printf %s', TOKEN);
    logger.error({ err: new Error(`401 for ${TOKEN}`) }, 'request failed');
    const text = lines.join('');
    expect(text).not.toContain(TOKEN);
    expect(text).toContain('token-[REDACTED]');
  });

  it('leaves short "token-" words alone', () => {
    expect(redactTokens('token-abc and token-expiry')).toBe('token-abc and token-expiry');
  });
});
