/**
 * One error hierarchy for every provider. Each error says which provider, what HTTP status, the
 * provider's request id, whether trying again can help, and the provider's own body; messages
 * read "Failed to X: reason. Do Y.". Credentials never reach a message, a log or a body: the
 * transport scrubs every known secret before an error is built (see `redactSecrets`).
 */
import type { ProviderId } from "./types.ts";

export interface UpscaleErrorOptions {
  provider?: ProviderId;
  retryable?: boolean;
  cause?: unknown;
}

export class UpscaleError extends Error {
  override name = "UpscaleError";
  readonly provider: ProviderId | undefined;
  /** Whether the same request may succeed later (or on another provider). */
  readonly retryable: boolean;
  /** With failover: every provider tried, in order, before this error was raised. */
  tried?: ProviderId[];

  constructor(message: string, options: UpscaleErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.provider = options.provider;
    this.retryable = options.retryable ?? false;
  }
}

export interface ApiErrorOptions extends UpscaleErrorOptions {
  status: number;
  requestId?: string;
  body?: unknown;
}

/** The provider answered with an error (or a 2xx that means one). */
export class ApiError extends UpscaleError {
  override name = "ApiError";
  readonly status: number;
  readonly requestId: string | undefined;
  readonly body: unknown;

  constructor(message: string, options: ApiErrorOptions) {
    super(message, { ...options, retryable: options.retryable ?? isRetryableStatus(options.status) });
    this.status = options.status;
    this.requestId = options.requestId;
    this.body = options.body;
  }
}

/** 401/403: the key is missing, wrong, or not allowed here. */
export class AuthError extends ApiError {
  override name = "AuthError";
  constructor(message: string, options: ApiErrorOptions) {
    super(message, { ...options, retryable: false });
  }
}

/** 429 (or a provider's equivalent); `retryAfterMs` when the provider said how long to wait. */
export class RateLimitError extends ApiError {
  override name = "RateLimitError";
  readonly retryAfterMs: number | undefined;
  constructor(message: string, options: ApiErrorOptions & { retryAfterMs?: number }) {
    super(message, { ...options, retryable: true });
    this.retryAfterMs = options.retryAfterMs;
  }
}

export interface FieldError {
  field: string;
  message: string;
}

/** The request was refused as invalid (or the client refused to send it). */
export class ValidationError extends ApiError {
  override name = "ValidationError";
  readonly fieldErrors: FieldError[];
  constructor(message: string, options: ApiErrorOptions & { fieldErrors?: FieldError[] }) {
    super(message, { ...options, retryable: false });
    this.fieldErrors = options.fieldErrors ?? [];
  }
}

/** The account is out of credit (a 402, a 403 that says the balance is exhausted, …). */
export class InsufficientCreditError extends ApiError {
  override name = "InsufficientCreditError";
  constructor(message: string, options: ApiErrorOptions) {
    super(message, { ...options, retryable: false });
  }
}

/** The job ran and failed (the provider's own failed state, or a completion that carries an error). */
export class TaskFailedError extends ApiError {
  override name = "TaskFailedError";
  readonly taskId: string | undefined;
  /** The provider's own failure type (its `error_type` or similar), when it gives one. */
  readonly errorType: string | undefined;
  constructor(message: string, options: ApiErrorOptions & { taskId?: string; errorType?: string }) {
    super(message, { ...options, retryable: options.retryable ?? false });
    this.taskId = options.taskId;
    this.errorType = options.errorType;
  }
}

/** A safety or content-policy check refused the input or the output. */
export class ContentPolicyError extends TaskFailedError {
  override name = "ContentPolicyError";
  constructor(message: string, options: ApiErrorOptions & { taskId?: string; errorType?: string }) {
    super(message, { ...options, retryable: false });
  }
}

/** A 2xx whose body breaks the provider's schema; `path` names the first field at fault. */
export class ContractError extends ApiError {
  override name = "ContractError";
  readonly path: string;
  readonly issues: Array<{ path: string; message: string }>;
  constructor(
    message: string,
    options: ApiErrorOptions & { path: string; issues?: Array<{ path: string; message: string }> },
  ) {
    super(message, { ...options, retryable: false });
    this.path = options.path;
    this.issues = options.issues ?? [{ path: options.path, message }];
  }
}

/**
 * A time limit ran out. `scope: "operation"` is the caller's overall limit (on the clock);
 * `scope: "attempt"` is one HTTP attempt that got no answer in time (a hung connection).
 */
export class TimeoutError extends UpscaleError {
  override name = "TimeoutError";
  readonly timeoutMs: number;
  readonly scope: "operation" | "attempt";
  readonly taskId: string | undefined;
  constructor(
    message: string,
    options: UpscaleErrorOptions & { timeoutMs: number; scope: "operation" | "attempt"; taskId?: string },
  ) {
    super(message, { ...options, retryable: options.retryable ?? options.scope === "attempt" });
    this.timeoutMs = options.timeoutMs;
    this.scope = options.scope;
    this.taskId = options.taskId;
  }
}

/** No HTTP answer at all. `sent: false` when the connection was refused before anything was sent. */
export class NetworkError extends UpscaleError {
  override name = "NetworkError";
  readonly sent: boolean;
  constructor(message: string, options: UpscaleErrorOptions & { sent: boolean }) {
    super(message, { ...options, retryable: true });
    this.sent = options.sent;
  }
}

/** The provider's circuit breaker is open: it failed too often just now. */
export class CircuitOpenError extends UpscaleError {
  override name = "CircuitOpenError";
  readonly retryInMs: number;
  constructor(message: string, options: UpscaleErrorOptions & { retryInMs: number }) {
    super(message, { ...options, retryable: true });
    this.retryInMs = options.retryInMs;
  }
}

/** Every provider of a failover list failed; `errors` holds each one's failure in order. */
export class AllProvidersFailedError extends UpscaleError {
  override name = "AllProvidersFailedError";
  readonly errors: Array<{ provider: ProviderId; error: unknown }>;
  constructor(message: string, errors: Array<{ provider: ProviderId; error: unknown }>) {
    super(message, { retryable: errors.some((e) => e.error instanceof UpscaleError && e.error.retryable) });
    this.errors = errors;
  }
}

export function isRetryableStatus(status: number): boolean {
  return status === 408 || status === 429 || (status >= 500 && status !== 501 && status !== 505);
}

/** Replaces every secret (and its Bearer/Key forms) in `text`. */
export function redactSecrets(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const secret of secrets) {
    if (secret.length < 4) continue;
    out = out.split(secret).join("[redacted]");
  }
  return out;
}

/** A deep copy of a JSON-like value with every secret replaced in its strings (and keys). */
export function redactValue<T>(value: T, secrets: readonly string[]): T {
  if (secrets.length === 0) return value;
  const walk = (v: unknown, depth: number): unknown => {
    if (depth > 50) return v;
    if (typeof v === "string") return redactSecrets(v, secrets);
    if (Array.isArray(v)) return v.map((item) => walk(item, depth + 1));
    if (v && typeof v === "object" && Object.getPrototypeOf(v) === Object.prototype) {
      return Object.fromEntries(
        Object.entries(v).map(([k, item]) => [redactSecrets(k, secrets), walk(item, depth + 1)]),
      );
    }
    return v;
  };
  return walk(value, 0) as T;
}

/** Whether an error came from an AbortSignal (the caller's abort, not one of our time limits). */
export function isAbortError(error: unknown): boolean {
  return (
    error instanceof Error &&
    (error.name === "AbortError" || (error as { code?: unknown }).code === "ABORT_ERR") &&
    !(error instanceof UpscaleError)
  );
}

/** A provider handed back a URL outside its own origins and CDNs; it is not fetched. */
export class UnsafeUrlError extends UpscaleError {
  override name = "UnsafeUrlError";
  readonly url: string;
  constructor(message: string, options: UpscaleErrorOptions & { url: string }) {
    super(message, { ...options, retryable: false });
    this.url = options.url;
  }
}
