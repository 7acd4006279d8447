import type { FastifyRequest } from 'fastify';
import { HttpError } from './httpError.js';

/** `application/json` and `application/<something>+json`, with any parameters (`; charset=utf-8`). */
const JSON_MEDIA_TYPE = /^application\/(?:[\w.+-]+\+)?json\s*(?:;.*)?$/i;

export const UNSUPPORTED_MEDIA_TYPE_TEXT = 'send the body as JSON with Content-Type: application/json';

/**
 * The emulator's one body parser. A body labelled with a media type other than JSON (`text/plain`, a
 * form) is refused with 415 before it is read as anything; a body with no Content-Type at all is read as
 * JSON, since Tanium clients do not all send one. An empty body means "no fields" (Tanium's platform API
 * lets create-token take an empty body, `{}` or `null`); routes that need fields say which.
 */
export function parseJsonBody(
  request: FastifyRequest,
  text: string | Buffer,
  done: (error: Error | null, body?: unknown) => void,
): void {
  const type = request.headers['content-type'];
  if (type !== undefined && !JSON_MEDIA_TYPE.test(type.trim())) {
    done(
      new HttpError(
        415,
        'UnsupportedMediaType',
        `${UNSUPPORTED_MEDIA_TYPE_TEXT} (got ${type.split(';')[0]!.trim() || 'an empty type'})`,
      ),
    );
    return;
  }
  const source = String(text);
  if (source.trim() === '') {
    done(null, undefined);
    return;
  }
  try {
    done(null, JSON.parse(source));
  } catch (error) {
    done(
      new HttpError(400, 'InvalidJSONBody', `the body is not valid JSON (${(error as Error).message})`),
      undefined,
    );
  }
}
