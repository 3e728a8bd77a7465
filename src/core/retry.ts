/**
 * Retries per kind of operation. Reads (status, result, downloads) and uploads retry on
 * 408/429/5xx, network errors and silent connections. Job-starting POSTs retry only where a
 * second attempt cannot bill twice: a 429 (refused, nothing started) and a connection refused
 * before the request was sent. Every wait is a real wait on the Clock, honours Retry-After, and
 * never runs past the caller's deadline.
 */
import type { Clock } from "./clock.ts";
import {
  ApiError,
  isRetryableStatus,
  NetworkError,
  RateLimitError,
  TimeoutError,
  UpscaleError,
} from "./errors.ts";
import { throwIfAborted } from "./signals.ts";

export interface RetryPolicy {
  /** Attempts in all, the first included (default 4). */
  maxAttempts: number;
  /** First backoff (default 1 000 ms), multiplied by `factor` per attempt up to `maxDelayMs`. */
  baseDelayMs: number;
  maxDelayMs: number;
  factor: number;
  /** Relative jitter: ±25 % is 0.25. */
  jitter: number;
  /** A Retry-After longer than this is not waited for; the error is raised instead (default 5 min). */
  maxRetryAfterMs: number;
}

export const defaultRetryPolicy: RetryPolicy = {
  maxAttempts: 4,
  baseDelayMs: 1_000,
  maxDelayMs: 30_000,
  factor: 2,
  jitter: 0.25,
  maxRetryAfterMs: 5 * 60_000,
};

/** `start`: a job-starting POST; `read`: status, result, downloads; `upload`: storage uploads. */
export type OperationKind = "start" | "read" | "upload";

export function shouldRetry(error: unknown, kind: OperationKind): boolean {
  if (kind === "start") {
    if (error instanceof RateLimitError) return true;
    return error instanceof NetworkError && !error.sent;
  }
  if (error instanceof RateLimitError || error instanceof NetworkError) return true;
  if (error instanceof TimeoutError) return error.scope === "attempt";
  return error instanceof ApiError && isRetryableStatus(error.status);
}

/** Exponential backoff with ±jitter, capped. `attempt` is the attempt that just failed (1-based). */
export function backoffDelay(
  attempt: number,
  policy: RetryPolicy,
  random: () => number = Math.random,
): number {
  const raw = Math.min(policy.maxDelayMs, policy.baseDelayMs * policy.factor ** Math.max(0, attempt - 1));
  const spread = raw * policy.jitter;
  return Math.max(0, Math.round(raw - spread + 2 * spread * random()));
}

export interface RetryInfo {
  operation: string;
  attempt: number;
  delayMs: number;
  error: unknown;
}

export interface RetryContext {
  clock: Clock;
  policy: RetryPolicy;
  signal?: AbortSignal;
  /** Epoch ms (clock time) past which no wait starts. */
  deadline?: number;
  random?: () => number;
  onRetry?: (info: RetryInfo) => void;
}

/** The wait before the next attempt, or undefined when the error should be raised now. */
export function retryDelay(
  error: unknown,
  attempt: number,
  kind: OperationKind,
  ctx: RetryContext,
): number | undefined {
  if (attempt >= ctx.policy.maxAttempts || !shouldRetry(error, kind)) return undefined;
  let delay = backoffDelay(attempt, ctx.policy, ctx.random);
  if (error instanceof RateLimitError && error.retryAfterMs !== undefined) {
    if (error.retryAfterMs > ctx.policy.maxRetryAfterMs) return undefined;
    delay = error.retryAfterMs;
  }
  if (ctx.deadline !== undefined && ctx.clock.now() + delay >= ctx.deadline) return undefined;
  return delay;
}

/** Runs `fn` until it succeeds, the error is not worth retrying, attempts run out, or time does. */
export async function withRetry<T>(
  kind: OperationKind,
  operation: string,
  fn: (attempt: number) => Promise<T>,
  ctx: RetryContext,
): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    throwIfAborted(ctx.signal);
    try {
      return await fn(attempt);
    } catch (error) {
      if (!(error instanceof UpscaleError)) throw error;
      const delay = retryDelay(error, attempt, kind, ctx);
      if (delay === undefined) throw error;
      ctx.onRetry?.({ operation, attempt, delayMs: delay, error });
      await ctx.clock.sleep(delay, ctx.signal);
    }
  }
}
