/** What a Freepik Magnific upscale takes beyond the common options. */
import type { UpscaleOptions } from "../../core/types.ts";

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

/** The common options as the Freepik adapter reads them. */
export type FreepikUpscaleOptions = UpscaleOptions<{ freepik?: FreepikOptions }>;
