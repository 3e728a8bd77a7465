/**
 * The unified client's public shapes: what a caller passes in (options), what a job looks like
 * between processes (the operation handle, plain JSON), and what comes back (status, result).
 * Types only; the behaviour lives in client.ts, core/ and providers/<p>/adapter.ts.
 */
import type { ProviderId } from "../providers/ids.ts";
import type { OutputFormat } from "./image-size.ts";

export type { ProviderId };

/** A file path, bytes, a Blob, an http(s) URL (string or URL) or a `data:` URI. */
export type ImageInput = string | URL | Uint8Array | ArrayBuffer | Blob;

export type { OutputFormat };

/**
 * What every provider understands, mapped to each one's own ranges (with warnings). `Native` is
 * the shape of `providerOptions`: each provider's own options by id, composed outside core
 * (src/providers/options.ts), so core reads them as an opaque object.
 */
export interface UpscaleOptions<Native extends object = object> {
  /** Enlargement factor (default 2). Providers with a fixed factor apply theirs, with a warning. */
  scale?: number;
  prompt?: string;
  /** 0–100, default 50: how closely the result follows the input. */
  resemblance?: number;
  /** 0–100, default 50: how much detail is added. */
  detail?: number;
  seed?: number;
  numImages?: number;
  /** The output format wanted; a warning says when the provider returned another one. */
  format?: OutputFormat;
  /** Where the provider should announce completion (providers that send webhooks). */
  webhookUrl?: string;
  signal?: AbortSignal;
  /** Overall limit for this call, on the client's clock (default: the client's `poll.timeoutMs`). */
  timeoutMs?: number;
  /** Each provider's own options, by provider id. */
  providerOptions?: Native;
}

/**
 * A started job as plain JSON: store it, send it to another process, pass it to `status`,
 * `result` or `cancel` there. It holds no credentials.
 */
export interface OperationHandle {
  version: 1;
  provider: ProviderId;
  /** The provider's task or request id (sync providers: their record id, or one of ours). */
  id: string;
  /** `done`: a sync provider already answered, and `output` holds its answer. */
  state: "pending" | "done";
  /** The provider's endpoint the task belongs to, where it has several. */
  endpoint?: string;
  /** URLs the provider handed out for later calls (status, result, cancel). */
  urls?: { status?: string; result?: string; cancel?: string };
  /** The provider's answer, for a `done` handle. */
  output?: unknown;
  createdAt: number;
  /** Minted once per start, outside the retry loop; sent where a provider takes an idempotency key. */
  clientRequestId: string;
  /** What the caller asked for, to describe the result. */
  expected: {
    scale: number;
    inputWidth?: number;
    inputHeight?: number;
    format?: OutputFormat;
    contentType?: string;
  };
  warnings: string[];
  /** Providers tried before this one was accepted (failover), this one last. */
  tried: ProviderId[];
}

export type OperationState = "queued" | "running" | "succeeded" | "failed" | "canceled";

export interface LogLine {
  message: string;
  level?: string;
  timestamp?: string;
}

/** One look at a job: polling and webhooks both produce this shape. */
export interface OperationStatus {
  provider: ProviderId;
  id: string;
  state: OperationState;
  /** The provider's own word for the state (CREATED, IN_QUEUE, processing, …). */
  providerState?: string;
  queuePosition?: number;
  logs?: LogLine[];
  /** Why it failed, as the provider put it. */
  error?: { type: string; message: string };
  /** Result URLs when the status carries them. */
  outputUrls?: string[];
  /** The provider's output when the status carries it (some webhooks do). */
  output?: unknown;
  /** A wait the provider asked for before the next look (Retry-After). */
  retryAfterMs?: number;
  /** Something odd in the answer that did not stop the read (an unknown status value). */
  warning?: string;
  raw: unknown;
}

export interface ResultImage {
  url: string;
  width: number;
  height: number;
  contentType: string;
  /** Set once downloaded (or decoded, for data URIs). */
  bytes?: Uint8Array;
}

export interface UpscaleResult {
  images: ResultImage[];
  seed?: number;
  /** The provider that served the result. */
  provider: ProviderId;
  taskId?: string;
  /** Values clamped or dropped on the way to the provider, and other things worth knowing. */
  warnings: string[];
  /** Every provider tried, in order, the serving one last. */
  tried: ProviderId[];
  /** The provider's final answer (never holds credentials). */
  raw: unknown;
  /** Fetches image `index` (default 0) from the provider's origin or CDN, without credentials. */
  download(index?: number, options?: { signal?: AbortSignal }): Promise<Uint8Array>;
}

export type ProgressEvent =
  | { type: "submitted"; provider: ProviderId; id: string }
  | { type: "queued"; provider: ProviderId; id: string; position?: number }
  | { type: "running"; provider: ProviderId; id: string; logs: LogLine[] }
  | {
      type: "retry";
      provider: ProviderId;
      operation: string;
      attempt: number;
      delayMs: number;
      reason: string;
    }
  | { type: "failover"; from: ProviderId; to: ProviderId; reason: string }
  | { type: "done"; provider: ProviderId; id: string; state: OperationState };

export interface Logger {
  debug?(message: string, data?: Record<string, unknown>): void;
  info?(message: string, data?: Record<string, unknown>): void;
  warn?(message: string, data?: Record<string, unknown>): void;
  error?(message: string, data?: Record<string, unknown>): void;
}

export type FetchLike = (input: Request) => Promise<Response>;

/** How the client itself calls fetch: a URL and its init, as `fetch(url, init)` takes them. */
export type SendRequest = (url: string, init: RequestInit) => Promise<Response>;
