import type { FastifyInstance } from 'fastify';
import { parseDuration } from '../../common/duration.js';
import { UserError } from '../../common/userError.js';
import { objectBody, onlyFields } from '../body.js';
import { taniumTime } from '../clock.js';
import type { EmulatorState } from '../emulatorState.js';
import { badBody } from '../httpError.js';

/** `/__emulator/clock`: read emulator time, or move it forward (`{"advance": "8d"}`). */
export function clockRoutes(app: FastifyInstance, state: EmulatorState): void {
  const view = () => ({ now: taniumTime(state.now()), offsetMs: state.clock.offsetMs });

  app.get('/__emulator/clock', async () => view());

  app.post('/__emulator/clock', async (request) => {
    const body = objectBody(request.body, false);
    onlyFields(body, ['advance']);
    const advance = body['advance'];
    if (typeof advance !== 'string')
      throw badBody('send {"advance": "<duration>"} with units s, m, h or d, e.g. "8d"');
    let ms: number;
    try {
      ms = parseDuration(advance);
    } catch (error) {
      throw badBody(error instanceof UserError ? error.message : String(error));
    }
    state.clock.advance(ms);
    state.save();
    return view();
  });
}
