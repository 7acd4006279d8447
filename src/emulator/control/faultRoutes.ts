import type { FastifyInstance } from 'fastify';
import type { EmulatorFaults } from '../faults/emulatorFaults.js';
import { FaultRuleError, parseFaultRules } from '../faults/faultRules.js';
import { HttpError } from '../httpError.js';

/**
 * `/__emulator/faults`: install (POST replaces the whole set), show (GET) or clear (DELETE) fault
 * rules; every answer is `{"seed", "rules": [{…rule, "applied": n}]}`. A bad rule is a 400 naming
 * the field and its allowed values, and leaves the installed rules as they were.
 */
export function faultRoutes(app: FastifyInstance, faults: EmulatorFaults): void {
  app.get('/__emulator/faults', async () => faults.view());

  app.post('/__emulator/faults', async (request) => {
    try {
      faults.install(parseFaultRules(request.body));
    } catch (error) {
      if (error instanceof FaultRuleError) throw new HttpError(400, 'InvalidFaultRules', error.message);
      throw error;
    }
    return faults.view();
  });

  app.delete('/__emulator/faults', async () => {
    faults.clear();
    return faults.view();
  });
}
