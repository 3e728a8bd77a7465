import { defaultLimits, type ProviderDefinition, type SimulatorLimits } from "./provider.ts";
import type { SimulatorOptions } from "./simulator-types.ts";

/** The shared limits and each provider's own: defaults from the definitions, then the overrides. */
export function limitsOf(
  definitions: ProviderDefinition[],
  overrides: SimulatorOptions["limits"] = {},
): SimulatorLimits {
  const { providers: providerOverrides = {}, ...shared } = overrides;
  const providers = Object.fromEntries(
    definitions.map((d) => [d.id, { ...d.limits, ...providerOverrides[d.id] }]),
  );
  return { ...defaultLimits, ...shared, providers };
}
