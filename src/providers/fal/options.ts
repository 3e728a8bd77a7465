/** What a fal.ai upscale takes beyond the common options. */
import type { UpscaleOptions } from "../../core/types.ts";

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

/** The common options as the fal adapter reads them. */
export type FalUpscaleOptions = UpscaleOptions<{ fal?: FalOptions }>;
