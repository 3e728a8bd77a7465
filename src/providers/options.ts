/**
 * The public option types with every provider's own options filled in: each provider defines its
 * options in its folder (`src/providers/<p>/options.ts`); this is the one place that lists them.
 */
import type { UpscaleOptions as CommonUpscaleOptions } from "../core/types.ts";
import type { ChainhubOptions } from "./chainhub/options.ts";
import type { FalOptions } from "./fal/options.ts";
import type { FreepikOptions } from "./freepik/options.ts";
import type { IdeogramFamilyOptions } from "./ideogram/options.ts";
import type { ProviderId } from "./ids.ts";
import type { OneminOptions } from "./onemin/options.ts";

/** Each provider's own options, by provider id; they override the mapped common ones. */
export interface ProviderOptions {
  ideogram?: IdeogramFamilyOptions;
  chainhub?: ChainhubOptions;
  fal?: FalOptions;
  onemin?: OneminOptions;
  freepik?: FreepikOptions;
}

/** What an upscale takes: the common options, and each provider's own under `providerOptions`. */
export type UpscaleOptions = CommonUpscaleOptions<ProviderOptions>;

// Every provider has an entry, and nothing else does.
type Exact<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const everyProviderHasOptions: Exact<keyof ProviderOptions, ProviderId> = true;
void everyProviderHasOptions;
