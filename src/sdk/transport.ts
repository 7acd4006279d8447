/**
 * The one request pipeline (Octokit style) for REST and GraphQL: undici with keep-alive and a
 * connection cap, the `session` header from a token source re-read on every attempt, per-request
 * timeouts, redirects never followed, the allow-list before every send, and the retry ladder for
 * calls that are safe to repeat.
 */
import { Agent, type Dispatcher, ProxyAgent, request } from 'undici';
import {
  assertAllowedUrl,
  checkResolvedHost,
  guardedLookup,
  type LookupFunction,
  type PinnedOrigin,
  pinTarget,
  type Target,
} from './allowList.js';
import {
  errorFromFailure,
  errorFromResponse,
  gatewayError,
  isHtml,
  type RequestContext,
} from './errorFactory.js';
import {
  ClientConfigError,
  InvalidRequestPathError,
  type ModuleRef,
  TaniumError,
  UnexpectedResponseError,
} from './errors.js';
import { redactSecrets } from './redact.js';
import { DEFAULT_RETRY_POLICY, decideRetry, type RetryPolicy } from './retryPolicy.js';

/** A token, or a function returning the current one (re-read per attempt to pick up rotations). */
export type TokenSource = string | (() => string | Promise<string>);
export type HttpMethod = 'GET' | 'HEAD' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export interface Timeouts {
  connectMs: number;
  /** Until the response headers arrive. */
  headersMs: number;
  /** Max gap between body chunks. */
  bodyMs: number;
}

export const DEFAULT_TIMEOUTS: Timeouts = { connectMs: 10_000, headersMs: 30_000, bodyMs: 30_000 };

export interface RetryInfo {
  attempt: number;
  delayMs: number;
  reason: string;
  method: string;
  path: string;
}

export interface TransportOptions {
  target: Target;
  token: TokenSource;
  timeouts?: Partial<Timeouts>;
  retry?: Partial<RetryPolicy>;
  /** Max sockets to the tenant (default 8). */
  connections?: number;
  keepAliveMs?: number;
  /** HTTP(S) proxy URL (undici ProxyAgent). */
  proxy?: string;
  /** Extra CA certificates (PEM) for on-prem servers with a private CA. */
  ca?: string | string[];
  /** DNS lookup used before connecting (tests inject one); the allow-list guard wraps it. */
  lookup?: LookupFunction;
  userAgent?: string;
  /** Observe retries (never carries the token). */
  onRetry?: (info: RetryInfo) => void;
  /**
   * Called once per request when Tanium refuses the token (401); when it resolves true (a newer token
   * is available, e.g. another process rotated it), the request is sent once more with the token read
   * again. Safe for every method: a 401 means Tanium did not run the call.
   */
  onUnauthorized?: () => Promise<boolean>;
  /** Jitter source, injectable for deterministic tests. */
  random?: () => number;
}

export interface SendRequest {
  method: HttpMethod;
  url: URL;
  body?: unknown;
  /** True only when repeating the call cannot change anything (GET/HEAD, GraphQL query). */
  idempotent: boolean;
  module?: ModuleRef | undefined;
  graphql?: boolean;
  /** Secrets inside this request (a token being rotated) to redact from any error. */
  secrets?: readonly string[];
  /**
   * Reads a usable (2xx JSON) answer's body as it arrives instead of parsing it whole (a large Gateway
   * page, src/sync/pageStream.ts); what it answers is the body. Failures of the body stream reach it
   * as TaniumErrors, as they would here.
   */
  readBody?: ((chunks: AsyncIterable<Uint8Array>) => Promise<unknown>) | undefined;
}

export interface SendResult {
  status: number;
  body: unknown;
}

/** Header-safe: visible ASCII only, so no CR/LF injection and no undici error quoting the value. */
const HEADER_SAFE = /^[\x21-\x7e]+$/;

export class Transport {
  readonly pinned: PinnedOrigin;
  private readonly dispatcher: Dispatcher;
  private readonly timeouts: Timeouts;
  private readonly policy: RetryPolicy;
  private readonly options: TransportOptions;

  constructor(options: TransportOptions) {
    this.options = options;
    this.pinned = pinTarget(options.target);
    this.timeouts = { ...DEFAULT_TIMEOUTS, ...options.timeouts };
    this.policy = { ...DEFAULT_RETRY_POLICY, ...options.retry };
    const tls = options.ca === undefined ? {} : { ca: options.ca };
    const common = {
      connections: options.connections ?? 8,
      keepAliveTimeout: options.keepAliveMs ?? 30_000,
      headersTimeout: this.timeouts.headersMs,
      bodyTimeout: this.timeouts.bodyMs,
    };
    this.dispatcher =
      options.proxy === undefined
        ? new Agent({
            ...common,
            connect: {
              ...tls,
              timeout: this.timeouts.connectMs,
              // The allow-list's after-DNS check: runs on every new socket, inside connect.
              lookup: guardedLookup(this.pinned.addressPolicy, options.lookup),
            },
          })
        : new ProxyAgent({
            ...common,
            uri: options.proxy,
            requestTls: { ...tls, timeout: this.timeouts.connectMs },
          });
  }

  /** Send with retries for idempotent calls; returns the parsed JSON body or throws a TaniumError. */
  async send(req: SendRequest): Promise<SendResult> {
    assertAllowedUrl(req.url, this.pinned);
    let waitedMs = 0;
    let refreshed = false;
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.once(req);
      } catch (error) {
        if (
          error instanceof TaniumError &&
          error.status === 401 &&
          !refreshed &&
          this.options.onUnauthorized
        ) {
          refreshed = true;
          if (await this.options.onUnauthorized()) continue;
        }
        if (!(error instanceof TaniumError) || !req.idempotent) throw error;
        const decision = decideRetry(error, { attempt, waitedMs }, this.policy, this.options.random);
        if (!decision.retry) throw error;
        this.options.onRetry?.({
          attempt,
          delayMs: decision.delayMs,
          reason: decision.reason,
          method: req.method,
          path: error.path ?? req.url.pathname,
        });
        await new Promise((resolve) => setTimeout(resolve, decision.delayMs));
        waitedMs += decision.delayMs;
      }
    }
  }

  /**
   * Build a request URL; a refused path is re-worded with the current token redacted, because the
   * path validator quotes the path and cannot know a token that is not token-shaped.
   */
  async resolve(build: () => URL, secrets: readonly string[] = []): Promise<URL> {
    try {
      return build();
    } catch (error) {
      if (!(error instanceof InvalidRequestPathError)) throw error;
      const token = await this.token().catch(() => '');
      throw new InvalidRequestPathError(redactSecrets(error.message, [token, ...secrets]));
    }
  }

  private async token(): Promise<string> {
    const source = this.options.token;
    const token = typeof source === 'function' ? await source() : source;
    if (typeof token !== 'string' || token.length === 0) {
      throw new ClientConfigError(
        'No API token: create one in the Tanium console and store it in the connection.',
      );
    }
    if (!HEADER_SAFE.test(token)) {
      throw new ClientConfigError(
        'The API token contains spaces, line breaks or other characters a header cannot carry: paste it again.',
      );
    }
    return token;
  }

  private async once(req: SendRequest): Promise<SendResult> {
    const token = await this.token();
    const ctx: RequestContext = {
      method: req.method,
      url: req.url,
      secrets: [token, ...(req.secrets ?? [])],
      module: req.module,
      graphql: req.graphql,
    };
    const headers: Record<string, string> = {
      session: token,
      accept: 'application/json',
      'user-agent': this.options.userAgent ?? 'tanium-bridge-sdk',
    };
    if (req.body !== undefined) headers['content-type'] = 'application/json';
    let status: number;
    let responseHeaders: Record<string, string | string[] | undefined>;
    let text: string;
    try {
      // Through a proxy the proxy resolves the name, so check the addresses ourselves first.
      if (this.options.proxy !== undefined) {
        await checkResolvedHost(this.pinned.hostname, this.pinned.addressPolicy, this.options.lookup);
      }
      const res = await request(req.url, {
        method: req.method,
        headers,
        body: req.body === undefined ? null : JSON.stringify(req.body),
        dispatcher: this.dispatcher,
        headersTimeout: this.timeouts.headersMs,
        bodyTimeout: this.timeouts.bodyMs,
      });
      status = res.statusCode;
      responseHeaders = res.headers;
      if (
        req.readBody &&
        status >= 200 &&
        status < 300 &&
        !isHtml({ status, headers: responseHeaders, body: '' })
      )
        return this.streamed(req, res.body, status, ctx);
      text = await res.body.text();
    } catch (error) {
      throw errorFromFailure(error, ctx);
    }
    const error = errorFromResponse({ status, headers: responseHeaders, body: text }, ctx);
    if (error !== undefined) throw error;
    if (text.trim() === '') return { status, body: null };
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      throw new UnexpectedResponseError(
        `Response to ${req.method} ${redactSecrets(req.url.pathname, ctx.secrets)} is not JSON (HTTP ${status}): wrong host or an incompatible server.`,
        {
          status,
          method: req.method,
          path: redactSecrets(req.url.pathname, ctx.secrets),
          kind: 'invalid-json',
        },
      );
    }
    // Gateway errors[] come with HTTP 200: thrown here, inside the retry loop, so transient ones are
    // asked again like any other transient failure.
    const failed = req.graphql
      ? gatewayError(
          body,
          { status, method: req.method, path: redactSecrets(req.url.pathname, ctx.secrets) },
          ctx.secrets,
        )
      : undefined;
    if (failed !== undefined) throw failed;
    return { status, body };
  }

  /** A usable answer read by `req.readBody` as it arrives (its own errors pass through as they are). */
  private async streamed(
    req: SendRequest,
    body: AsyncIterable<Uint8Array>,
    status: number,
    ctx: RequestContext,
  ): Promise<SendResult> {
    async function* chunks() {
      try {
        for await (const chunk of body) yield chunk as Uint8Array;
      } catch (error) {
        throw errorFromFailure(error, ctx);
      }
    }
    const parsed = await req.readBody!(chunks());
    const path = redactSecrets(req.url.pathname, ctx.secrets);
    const failed = req.graphql
      ? gatewayError(parsed, { status, method: req.method, path }, ctx.secrets)
      : undefined;
    if (failed !== undefined) throw failed;
    return { status, body: parsed };
  }

  async close(): Promise<void> {
    await this.dispatcher.close();
  }
}
