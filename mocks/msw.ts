/**
 * MSW transport: handlers on the providers' real hosts that hand each request to the simulator.
 * Use with `setupServer(...createHandlers())` in Node or `setupWorker(...)` in the browser.
 * Only the `http.all` wiring lives here; the conversion is `web-transport.ts`'s and every
 * behaviour is in the provider definitions.
 */
import type { HttpHandler } from "msw";
import { importPeer } from "../src/optional-peer.ts";
import { namespaceHeader } from "./provider-hosts.ts";
import { type CreateSimulatorOptions, createSimulator, type Simulator } from "./simulator.ts";
import { createWebTransport, type WebTransportOptions } from "./web-transport.ts";

// msw is an optional peer: loaded here, so a missing install fails with the command that fixes it.
const { http } = await importPeer("msw", "upscale-harness/msw", () => import("msw"));

export { namespaceHeader };

export interface CreateHandlersOptions extends CreateSimulatorOptions, WebTransportOptions {
  /** An existing simulator to serve (to inspect its journal, tasks, scenarios); else one is made. */
  simulator?: Simulator;
}

export function createHandlers(options: CreateHandlersOptions = {}): HttpHandler[] {
  const transport = createWebTransport(options.simulator ?? createSimulator(options), options);
  return transport.origins.map(({ provider, host, origin }) =>
    http.all(`${origin}/*`, ({ request }) => transport.handle(request, provider, host)),
  );
}
