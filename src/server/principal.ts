import '@fastify/swagger';
import '@fastify/rate-limit';
import '@fastify/cookie';
import '@fastify/csrf-protection';
import type { Role } from '../store/apiKeys.js';

/** Who is calling: an API key (by name) or the web UI's admin session. */
export interface Principal {
  kind: 'apikey' | 'session';
  role: Role;
  /** For the audit log: `apikey:<name>` or `admin`. */
  actor: string;
}

/** What a route needs: `public` routes skip authentication. */
export type Access = 'public' | 'viewer' | 'admin';

declare module 'fastify' {
  interface FastifyRequest {
    caller?: Principal;
  }
  interface FastifyContextConfig {
    /** Defaults: reads need a viewer, anything else an admin. */
    access?: Access;
  }
}
