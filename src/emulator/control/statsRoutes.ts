import type { FastifyInstance } from 'fastify';
import type { EmulatorStats } from '../faults/emulatorStats.js';

/** `/__emulator/stats`: request, fault and authentication-failure counts (GET), and reset (DELETE). */
export function statsRoutes(app: FastifyInstance, stats: EmulatorStats): void {
  app.get('/__emulator/stats', async () => stats.view());

  app.delete('/__emulator/stats', async () => {
    stats.reset();
    return stats.view();
  });
}
