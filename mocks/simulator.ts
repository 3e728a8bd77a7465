/**
 * Builds a simulator for some or all providers. Every transport (MSW, the standalone server,
 * Pact state setup) wraps one of these; none of them adds provider behaviour.
 */
import { type ProviderId, providerIds } from "../src/providers/ids.ts";
import { Simulator, type SimulatorOptions } from "./engine/simulator.ts";
import { providerDefinitions } from "./providers/index.ts";

export interface CreateSimulatorOptions extends SimulatorOptions {
  /** Which providers to simulate (default: all five). */
  providers?: ProviderId[];
}

export function createSimulator(options: CreateSimulatorOptions = {}): Simulator {
  const wanted = options.providers ?? providerIds.filter((id) => providerDefinitions[id]);
  const definitions = wanted.map((id) => {
    const definition = providerDefinitions[id];
    if (!definition)
      throw new Error(
        `Failed to create the simulator: provider "${id}" is not available. Use one of: ${Object.keys(providerDefinitions).join(", ")}.`,
      );
    return definition;
  });
  return new Simulator(definitions, options);
}

export type { SimBody, SimRequest, SimResponse } from "./engine/sim-http.ts";
// For transports of your own: what a request and an answer look like to the engine.
export type { Dispatch, Exchange } from "./engine/simulator.ts";
export { createSimulatorFetch, type WebTransportOptions } from "./web-transport.ts";
export { Simulator, type SimulatorOptions };
