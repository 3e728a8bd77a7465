/** The unified client's public shapes: its configuration and the Upscaler it returns. */
import type { CircuitBreakerOptions, CircuitState } from "./core/circuit-breaker.ts";
import type { Clock } from "./core/clock.ts";
import type { PollPolicy } from "./core/poll.ts";
import type { RetryPolicy } from "./core/retry.ts";
import type {
  FetchLike,
  ImageInput,
  Logger,
  OperationHandle,
  OperationStatus,
  ProgressEvent,
  ProviderId,
  UpscaleResult,
} from "./core/types.ts";
import type { UpscaleOptions } from "./providers/options.ts";

export interface UpscalerConfig {
  /** One provider… */
  provider?: ProviderId;
  /** …or several, tried in order (failover). */
  providers?: ProviderId[];
  /** Keys by provider; default from IDEOGRAM_API_KEY, CHAINHUB_API_KEY, FAL_KEY, ONEMIN_API_KEY, FREEPIK_API_KEY. */
  apiKeys?: Partial<Record<ProviderId, string>>;
  /**
   * Base URLs by provider: a string for the main API host (fal: a prefix with /run, /queue, /rest
   * and /media below it, as the standalone simulator serves them), or an object by host name.
   */
  baseUrls?: Partial<Record<ProviderId, string | Record<string, string>>>;
  /** Injectable fetch (default: globalThis.fetch, read at call time). */
  fetch?: FetchLike;
  /** The clock every wait reads (default: real time). */
  clock?: Clock;
  retry?: Partial<RetryPolicy>;
  poll?: Partial<PollPolicy>;
  onProgress?: (event: ProgressEvent) => void;
  logger?: Logger;
  /** Wall-clock limit of one HTTP attempt (default 180 000 ms; 1min.ai holds requests for a minute). */
  requestTimeoutMs?: number;
  /** Extra headers on every API request (e.g. `x-mock-namespace` for the standalone simulator). */
  headers?: Record<string, string>;
  /** Extra hosts result and upload URLs may be fetched from (`cdn.example.com`, `*.example.com`). */
  trustedHosts?: string[];
  /** Circuit breaker per provider; `false` turns it off. */
  circuitBreaker?: Partial<CircuitBreakerOptions> | false;
  /** Where keys are read from when `apiKeys` lacks one (default process.env). */
  env?: Record<string, string | undefined>;
  /** Randomness for jitter (default Math.random). */
  random?: () => number;
}

export interface CallOptions {
  signal?: AbortSignal;
}

export interface WaitOptions extends CallOptions {
  timeoutMs?: number;
}

export interface Upscaler {
  /** The providers, in failover order. */
  readonly providers: ProviderId[];
  upscale(input: ImageInput, options?: UpscaleOptions): Promise<UpscaleResult>;
  start(input: ImageInput, options?: UpscaleOptions): Promise<OperationHandle>;
  status(handle: OperationHandle, options?: CallOptions): Promise<OperationStatus>;
  /** The result of a finished job; throws the job's failure, or a retryable error while it runs. */
  result(handle: OperationHandle, options?: CallOptions): Promise<UpscaleResult>;
  /** Polls a started job until it finishes, then returns its result. */
  wait(handle: OperationHandle, options?: WaitOptions): Promise<UpscaleResult>;
  /** Best-effort cancel: true when the provider accepted it (only fal can cancel). */
  cancel(handle: OperationHandle, options?: CallOptions): Promise<boolean>;
  circuitState(provider: ProviderId): CircuitState;
}
