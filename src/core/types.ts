/**
 * The unified client's public shapes: what a caller passes in (options), what a job looks like
 * between processes (the operation handle, plain JSON), and what comes back (status, result).
 * Types only; the behaviour lives in client.ts, core/ and providers/<p>/adapter.ts.
 */
import type { OutputFormat } from "./image-size.ts";

export const providerIds = ["ideogram", "chainhub", "fal", "onemin", "freepik"] as const;
export type ProviderId = (typeof providerIds)[number];

/** A file path, bytes, a Blob, an http(s) URL (string or URL) or a `data:` URI. */
export type ImageInput = string | URL | Uint8Array | ArrayBuffer | Blob;

export type { OutputFormat };

export interface FreepikOptions {
  /** Which Magnific upscaler (default `creative`). */
  endpoint?: "creative" | "precision" | "precision-v2";
  engine?: "automatic" | "magnific_illusio" | "magnific_sharpy" | "magnific_sparkle";
  optimized_for?:
    | "standard"
    | "soft_portraits"
    | "hard_portraits"
    | "art_n_illustration"
    | "videogame_assets"
    | "nature_n_landscapes"
    | "films_n_photography"
    | "3d_renders"
    | "science_fiction_n_horror";
  /** Native −10..10; override the values mapped from `resemblance` and `detail`. */
  creativity?: number;
  hdr?: number;
  resemblance?: number;
  fractality?: number;
  filter_nsfw?: boolean;
  /** Precision upscalers, 0–100. */
  sharpen?: number;
  smart_grain?: number;
  ultra_detail?: number;
  /** Precision v2 only. */
  flavor?: "sublime" | "photo" | "photo_denoiser";
  /**
   * A task still CREATED after this long (ms, on the clock) is reported as InsufficientCreditError:
   * Freepik leaves tasks CREATED forever when the account is out of credit (default 180 000).
   */
  createdStallMs?: number;
}

export interface FalOptions {
  /** `queue` (default: submit, poll, result, cancellable) or `sync` (one held request on fal.run). */
  mode?: "queue" | "sync";
  /** Ask fal to return the result inline as a data URI. */
  sync_mode?: boolean;
  expand_prompt?: boolean;
  /** How bytes reach fal: data URI up to `dataUriMaxBytes` (default 1 MiB), else a storage upload. */
  upload?: "auto" | "storage" | "data-uri";
  dataUriMaxBytes?: number;
  /** `x-fal-queue-priority`. */
  priority?: "low" | "normal";
  /** `x-fal-request-timeout`: seconds the run may wait to start. */
  startTimeoutSeconds?: number;
}

export interface IdeogramFamilyOptions {
  magic_prompt_option?: "AUTO" | "ON" | "OFF";
  magic_prompt_version?:
    | "V_0"
    | "V_0_1"
    | "V_0_2"
    | "V_0_3"
    | "V_0_4"
    | "V_0_5"
    | "V_0_6"
    | "V_0_7"
    | "V_0_8";
}

export interface ChainhubOptions extends IdeogramFamilyOptions {
  /**
   * Which answer to expect: chainhub's task envelope, Ideogram's sync body, or either (`auto`,
   * default). A mismatch is a ContractError.
   */
  mode?: "auto" | "task" | "passthrough";
}

export interface OneminOptions {
  magic_prompt_option?: "AUTO" | "ON" | "OFF";
}

export interface ProviderOptions {
  ideogram?: IdeogramFamilyOptions;
  chainhub?: ChainhubOptions;
  fal?: FalOptions;
  onemin?: OneminOptions;
  freepik?: FreepikOptions;
}

/** What every provider understands, mapped to each one's own ranges (with warnings). */
export interface UpscaleOptions {
  /** Enlargement factor (default 2). Ideogram-family providers only double. */
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
  /** Where the provider should announce completion (Freepik, fal queue). */
  webhookUrl?: string;
  signal?: AbortSignal;
  /** Overall limit for this call, on the client's clock (default: the client's `poll.timeoutMs`). */
  timeoutMs?: number;
  providerOptions?: ProviderOptions;
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
  /** Freepik's upscaler the task belongs to. */
  endpoint?: string;
  /** URLs the provider handed out for later calls (fal's status, result and cancel URLs). */
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
  /** Result URLs when the status carries them (Freepik `generated`, chainhub `task_result`). */
  outputUrls?: string[];
  /** The provider's output when the status carries it (fal webhooks). */
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
