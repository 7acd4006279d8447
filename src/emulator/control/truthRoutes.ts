import type { FastifyInstance } from 'fastify';
import type { EmulatorState } from '../emulatorState.js';

/** `GET /__emulator/truth`: the fleet's ground truth now, so a sync can be checked against it. */
export function truthRoutes(app: FastifyInstance, state: EmulatorState): void {
  app.get('/__emulator/truth', async () => ({
    ...state.fleet.view(state.now()).truth(),
    fleet: state.fleetSettings,
  }));
}
