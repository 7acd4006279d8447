/**
 * The client for one tenant: Platform REST (envelope unwrapped), Gateway GraphQL, connection paging,
 * the ten module request functions, session lookup and token calls, all over one Transport.
 */
import type { Target } from './allowList.js';
import { unwrapPlatform } from './envelope.js';
import { graphqlMessages } from './errorFactory.js';
import { ClientConfigError, GraphQLError } from './errors.js';
import { isSafeToRetry } from './graphqlOperation.js';
import { ModuleClient, moduleRef, moduleUrl, type ProbeResult, type RequestOptions } from './moduleClient.js';
import { getModule, MODULES, type ModuleKey } from './modules/index.js';
import { type Connection, type PaginateOptions, paginate, paginatePages } from './paginate.js';
import { type SessionApi, sessionApi } from './session.js';
import { type TokenApi, tokenApi } from './tokens.js';
import { type HttpMethod, type SendRequest, Transport, type TransportOptions } from './transport.js';

export const GATEWAY_PATH = '/plugin/products/gateway/graphql';
const CLOUD_HOST = /^[a-z0-9-]+-api\.cloud\.tanium\.com$/i;

export interface TaniumClientOptions extends Omit<TransportOptions, 'target'> {
  /** Where the token may go. Give this or `baseUrl`. */
  target?: Target;
  /** Shorthand: a `<customer>-api.cloud.tanium.com` HTTPS URL becomes a cloud target, anything else a server. */
  baseUrl?: string;
}

export interface GraphqlOptions {
  operationName?: string;
  /** Secrets in the variables (a token being rotated), redacted from any error. */
  secrets?: readonly string[];
  /** Reads the answer's body as it arrives (see `SendRequest.readBody`); a query only. */
  readBody?: SendRequest['readBody'];
}

export interface RestOptions extends RequestOptions {
  secrets?: readonly string[];
}

function targetOf(options: TaniumClientOptions): Target {
  if (options.target !== undefined) return options.target;
  if (options.baseUrl === undefined)
    throw new ClientConfigError('createTaniumClient needs a target or a baseUrl.');
  try {
    const url = new URL(options.baseUrl);
    if (
      url.protocol === 'https:' &&
      url.port === '' &&
      CLOUD_HOST.test(url.hostname) &&
      url.pathname === '/'
    ) {
      return { kind: 'cloud', domain: url.hostname };
    }
  } catch {
    // fall through: pinTarget reports the bad URL
  }
  return { kind: 'server', url: options.baseUrl };
}

export class TaniumClient {
  readonly target: Target;
  readonly session: SessionApi;
  readonly tokens: TokenApi;
  private readonly transport: Transport;
  private readonly modules = new Map<ModuleKey, ModuleClient>();

  constructor(options: TaniumClientOptions) {
    this.target = targetOf(options);
    this.transport = new Transport({ ...options, target: this.target });
    this.session = sessionApi(this);
    this.tokens = tokenApi(this);
  }

  /** The one origin this client sends its token to. */
  get origin(): string {
    return this.transport.pinned.origin;
  }

  /** One module's request function (`platform`, `asset`, ... `threat-response`). */
  module(key: ModuleKey | string): ModuleClient {
    const def = getModule(key);
    let client = this.modules.get(def.key);
    if (client === undefined) {
      client = new ModuleClient(def, this.transport);
      this.modules.set(def.key, client);
    }
    return client;
  }

  /** Platform REST under /api/v2 with the `{data}` envelope and the `cache_info` tail removed. */
  async rest<T = unknown>(method: HttpMethod, path: string, options: RestOptions = {}): Promise<T> {
    const platform = this.module('platform');
    const url = await this.transport.resolve(
      () => moduleUrl(this.origin, platform.definition, path, options.query),
      options.secrets,
    );
    const result = await this.transport.send({
      method,
      url,
      body: options.data,
      idempotent: method === 'GET' || method === 'HEAD',
      module: moduleRef(platform.definition),
      secrets: options.secrets ?? [],
    });
    return unwrapPlatform<T>(result.body);
  }

  /** Gateway GraphQL: returns `data`; `errors[]` (even with HTTP 200) throws GraphQLError. */
  async graphql<T = unknown>(
    query: string,
    variables?: Record<string, unknown>,
    options: GraphqlOptions = {},
  ): Promise<T> {
    const body: Record<string, unknown> = { query };
    if (variables !== undefined) body['variables'] = variables;
    if (options.operationName !== undefined) body['operationName'] = options.operationName;
    const url = new URL(GATEWAY_PATH, this.origin);
    const result = await this.transport.send({
      method: 'POST',
      url,
      body,
      // Queries only: a repeated mutation could rotate twice or deploy twice.
      idempotent: isSafeToRetry(query, options.operationName),
      graphql: true,
      secrets: options.secrets ?? [],
      readBody: options.readBody,
    });
    const messages = graphqlMessages(result.body);
    if (messages !== undefined) {
      throw new GraphQLError(messages, { status: result.status, method: 'POST', path: GATEWAY_PATH });
    }
    return ((result.body as { data?: T } | null)?.data ?? null) as T;
  }

  /** Every node of a Gateway connection, page by page (`$first`/`$after` in the query). */
  paginate<TNode>(query: string, options: PaginateOptions): AsyncGenerator<TNode> {
    return paginate<TNode>((q, v) => this.graphql(q, v), query, options);
  }

  /** The pages themselves (for totalRecords or per-page checkpoints). */
  pages<TNode>(query: string, options: PaginateOptions): AsyncGenerator<Connection<TNode>> {
    return paginatePages<TNode>((q, v) => this.graphql(q, v), query, options);
  }

  /** Probe each module (default: all ten) and report which this token may use. */
  async probeModules(keys: readonly ModuleKey[] = MODULES.map((m) => m.key)): Promise<ProbeResult[]> {
    const results: ProbeResult[] = [];
    for (const key of keys) results.push(await this.module(key).probe());
    return results;
  }

  /** Close pooled connections. */
  close(): Promise<void> {
    return this.transport.close();
  }
}

/** Create a client for one tenant (cloud domain, on-prem server, or the emulator on loopback). */
export function createTaniumClient(options: TaniumClientOptions): TaniumClient {
  return new TaniumClient(options);
}
