/** Public entry point. */

export {
  type CallOptions,
  createUpscaler,
  type Upscaler,
  type UpscalerConfig,
  type WaitOptions,
} from "./client.ts";
export {
  CircuitBreaker,
  type CircuitBreakerOptions,
  type CircuitState,
} from "./core/circuit-breaker.ts";
export { type Clock, RealClock, VirtualClock, type VirtualClockOptions } from "./core/clock.ts";
export {
  AllProvidersFailedError,
  ApiError,
  AuthError,
  CircuitOpenError,
  ContentPolicyError,
  ContractError,
  type FieldError,
  InsufficientCreditError,
  NetworkError,
  RateLimitError,
  TaskFailedError,
  TimeoutError,
  UnsafeUrlError,
  UpscaleError,
  ValidationError,
} from "./core/errors.ts";
export { defaultPollPolicy, type PollPolicy } from "./core/poll.ts";
export { defaultRetryPolicy, type RetryPolicy } from "./core/retry.ts";
export type {
  FetchLike,
  ImageInput,
  Logger,
  LogLine,
  OperationHandle,
  OperationState,
  OperationStatus,
  OutputFormat,
  ProgressEvent,
  ProviderId,
  ResultImage,
  UpscaleResult,
} from "./core/types.ts";
export {
  type HeaderBag,
  MemoryReplayStore,
  type ReplayStore,
  type VerifiedWebhook,
  type VerifyWebhookOptions,
  type WebhookFailure,
  WebhookVerificationError,
} from "./core/webhooks.ts";
export { providerIds } from "./providers/ids.ts";
export type { ProviderOptions, UpscaleOptions } from "./providers/options.ts";
export { parseWebhook, verifyWebhook } from "./webhooks.ts";
