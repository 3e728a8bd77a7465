/** What a 1min.ai upscale takes beyond the common options. */
import type { UpscaleOptions } from "../../core/types.ts";

export interface OneminOptions {
  magic_prompt_option?: "AUTO" | "ON" | "OFF";
}

/** The common options as the 1min.ai adapter reads them. */
export type OneminUpscaleOptions = UpscaleOptions<{ onemin?: OneminOptions }>;
