/** Every provider's one definition, by id. Transports and the simulator read them from here. */
import type { ProviderId } from "../engine/faults.ts";
import type { ProviderDefinition } from "../engine/provider.ts";
import { chainhub } from "./chainhub.ts";
import { fal } from "./fal.ts";
import { freepik } from "./freepik.ts";
import { ideogram } from "./ideogram.ts";
import { onemin } from "./onemin.ts";

export const providerDefinitions: Partial<Record<ProviderId, ProviderDefinition>> = {
  ideogram,
  chainhub,
  fal,
  freepik,
  onemin,
};
