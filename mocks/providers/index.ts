/** Every provider's one definition, by id. Transports and the simulator read them from here. */
import type { ProviderId } from "../../src/providers/ids.ts";
import type { ProviderDefinition } from "../engine/provider.ts";
import { chainhub } from "./chainhub/definition.ts";
import { fal } from "./fal/definition.ts";
import { freepik } from "./freepik/definition.ts";
import { ideogram } from "./ideogram/definition.ts";
import { onemin } from "./onemin/definition.ts";

export const providerDefinitions: Partial<Record<ProviderId, ProviderDefinition>> = {
  ideogram,
  chainhub,
  fal,
  freepik,
  onemin,
};
