/** Public surface of the tanium-bridge SDK. Imports nothing from the rest of src/. */

export { type EmbeddedIPv4, type Embedding, embeddedIPv4 } from './addresses.js';
export {
  type AddressPolicy,
  assertAllowedUrl,
  checkResolvedHost,
  guardedLookup,
  isLoopbackAddress,
  isNonPublicAddress,
  type LookupFunction,
  type PinnedOrigin,
  pinTarget,
  type Target,
} from './allowList.js';
export {
  createTaniumClient,
  GATEWAY_PATH,
  type GraphqlOptions,
  type RestOptions,
  TaniumClient,
  type TaniumClientOptions,
} from './client.js';
export { unwrapPlatform } from './envelope.js';
export {
  errorFromFailure,
  errorFromResponse,
  type RawResponse,
  type RequestContext,
} from './errorFactory.js';
export {
  AuthenticationError,
  ClientConfigError,
  ConnectionError,
  type ErrorCategory,
  GraphQLError,
  InvalidRequestError,
  InvalidRequestPathError,
  isTaniumError,
  type ModuleRef,
  NotFoundError,
  PermissionError,
  RateLimitError,
  SanitizedCause,
  ServerError,
  TaniumError,
  type TaniumErrorDetails,
  TimeoutError,
  type UnexpectedKind,
  UnexpectedResponseError,
  UnknownModuleError,
} from './errors.js';
export { isSafeToRetry, type OperationType, operationType } from './graphqlOperation.js';
export {
  type AssertedIdentity,
  IDENTITY_PORT,
  type IdentityReason,
  type IdentityResult,
  type VerifyIdentityOptions,
  verifyEndpointIdentity,
} from './identity.js';
export { isValidIdnaHost } from './idna.js';
export { ModuleClient, type ProbeResult, type QueryValue, type RequestOptions } from './moduleClient.js';
export { resolveModulePath } from './modulePath.js';
export {
  getModule,
  isModuleKey,
  MODULE_KEYS,
  MODULES,
  type ModuleDefinition,
  type ModuleKey,
} from './modules/index.js';
export { type Connection, type PageInfo, type PaginateOptions, paginate, paginatePages } from './paginate.js';
export { REDACTED, redactSecrets } from './redact.js';
export {
  DEFAULT_RETRY_POLICY,
  decideRetry,
  parseRetryAfter,
  type RetryDecision,
  type RetryPolicy,
  retryReason,
} from './retryPolicy.js';
export type { CurrentSession, SessionApi } from './session.js';
export {
  type ApiToken,
  type GatewayApiToken,
  MY_TOKENS_QUERY,
  ROTATE_MUTATION,
  type SystemError,
  type TokenApi,
} from './tokens.js';
export {
  DEFAULT_TIMEOUTS,
  type HttpMethod,
  type RetryInfo,
  type Timeouts,
  type TokenSource,
  Transport,
  type TransportOptions,
} from './transport.js';
