/** What an Ideogram-family upscale (Ideogram, and chainhub on top of it) takes beyond the common options. */
import type { UpscaleOptions } from "../../core/types.ts";

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

/** The common options as the Ideogram adapter reads them. */
export type IdeogramUpscaleOptions = UpscaleOptions<{ ideogram?: IdeogramFamilyOptions }>;
