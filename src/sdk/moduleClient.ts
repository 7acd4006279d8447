/**
 * One module's request function: callers name the module and a path relative to its base, never a
 * URL. The path is validated before anything is sent.
 */
import type { ModuleRef } from './errors.js';
import { TaniumError } from './errors.js';
import { resolveModulePath } from './modulePath.js';
import type { ModuleDefinition } from './modules/index.js';
import type { HttpMethod, Transport } from './transport.js';

export type QueryValue = string | number | boolean | undefined;

export interface RequestOptions {
  /** JSON body (POST/PUT/PATCH). */
  data?: unknown;
  /** Added to the path's own query string, URL-encoded. */
  query?: Record<string, QueryValue>;
}

export interface ProbeResult {
  key: string;
  name: string;
  ok: boolean;
  /** The permission to grant when the probe was refused. */
  permission: string;
  error?: TaniumError;
}

/** Build the full URL for a module path (validated) plus optional query parameters. */
export function moduleUrl(
  origin: string,
  def: ModuleDefinition,
  path: string,
  query?: Record<string, QueryValue>,
): URL {
  const url = resolveModulePath(origin, def.basePath, path);
  for (const [key, value] of Object.entries(query ?? {})) {
    if (value !== undefined) url.searchParams.append(key, String(value));
  }
  return url;
}

export function moduleRef(def: ModuleDefinition): ModuleRef {
  return { key: def.key, name: def.name, permission: def.permission };
}

export class ModuleClient {
  constructor(
    readonly definition: ModuleDefinition,
    private readonly transport: Transport,
  ) {}

  /** Send `method path` to this module; returns the parsed JSON body as Tanium sent it. */
  async request<T = unknown>(method: HttpMethod, path: string, options: RequestOptions = {}): Promise<T> {
    return (await this.send<T>(method, path, options)).body;
  }

  /** Like `request`, with the HTTP status of the answer (for audit logs). */
  async send<T = unknown>(
    method: HttpMethod,
    path: string,
    options: RequestOptions = {},
  ): Promise<{ status: number; body: T }> {
    const url = await this.transport.resolve(() =>
      moduleUrl(this.transport.pinned.origin, this.definition, path, options.query),
    );
    const result = await this.transport.send({
      method,
      url,
      body: options.data,
      idempotent: method === 'GET' || method === 'HEAD',
      module: moduleRef(this.definition),
    });
    return { status: result.status, body: result.body as T };
  }

  /** Cheap GET that succeeds only when the token may use this module (for `check --modules`). */
  async probe(): Promise<ProbeResult> {
    const { key, name, permission, probe } = this.definition;
    try {
      await this.request('GET', probe);
      return { key, name, ok: true, permission };
    } catch (error) {
      if (!(error instanceof TaniumError)) throw error;
      return { key, name, ok: false, permission, error };
    }
  }
}
