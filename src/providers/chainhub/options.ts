/** What a chainhub upscale takes beyond the common options: Ideogram's knobs and the answer mode. */
import type { UpscaleOptions } from "../../core/types.ts";
import type { IdeogramFamilyOptions } from "../ideogram/options.ts";

export interface ChainhubOptions extends IdeogramFamilyOptions {
  /**
   * Which answer to expect: chainhub's task envelope, Ideogram's sync body, or either (`auto`,
   * default). A mismatch is a ContractError.
   */
  mode?: "auto" | "task" | "passthrough";
}

/** The common options as the chainhub adapter reads them. */
export type ChainhubUpscaleOptions = UpscaleOptions<{ chainhub?: ChainhubOptions }>;
