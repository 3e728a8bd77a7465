/**
 * The simulators for a vitest file: MSW on the real hosts, a virtual clock that jumps while the
 * process waits, and a spec-conformance check of every answer. Any response the provider's spec
 * does not allow fails the file in afterAll.
 */
import { setupServer } from "msw/node";
import { afterAll, afterEach, beforeAll, expect } from "vitest";
import type { ProviderDefinition } from "../../mocks/engine/provider.ts";
import { Simulator } from "../../mocks/engine/simulator.ts";
import { createHandlers } from "../../mocks/msw.ts";
import { type CreateSimulatorOptions, createSimulator } from "../../mocks/simulator.ts";
import { SpecConformance } from "../../scripts/lib/spec-conformance.ts";
import type { Clock } from "../../src/core/clock.ts";
import { VirtualClock } from "../../src/core/clock.ts";
import { testStore } from "./test-store.ts";

export interface Harness {
  simulator: Simulator;
  clock: VirtualClock;
  /** Spec violations seen so far (checked to be empty after the file's tests). */
  violations: string[];
  /** How many answers were checked against a spec. */
  checked: { count: number };
}

export interface HarnessOptions extends CreateSimulatorOptions {
  /** Serve these definitions instead of the registered providers. */
  definitions?: ProviderDefinition[];
  /** Reset every namespace after each test (default true). */
  resetBetweenTests?: boolean;
}

let conformance: SpecConformance | undefined;

export function useSimulators(options: HarnessOptions = {}): Harness {
  const clock = (options.clock as VirtualClock | undefined) ?? new VirtualClock({ autoAdvance: true });
  // On Redis in the redis-store project, in memory otherwise (test/helpers/test-store.ts).
  const store = options.store ?? testStore();
  const simulatorOptions = { seed: 42, ...options, clock: clock as Clock, ...(store ? { store } : {}) };
  const simulator = options.definitions
    ? new Simulator(options.definitions, simulatorOptions)
    : createSimulator(simulatorOptions);
  conformance ??= new SpecConformance();
  const spec = conformance;
  const harness: Harness = { simulator, clock, violations: [], checked: { count: 0 } };
  simulator.events.onExchange = (exchange) => {
    if (spec.find(exchange.provider, exchange.operation)) harness.checked.count++;
    harness.violations.push(...spec.check(exchange.provider, exchange.operation, exchange.response));
  };
  const server = setupServer(...createHandlers({ simulator }));
  beforeAll(() =>
    server.listen({
      // Loopback (local webhook receivers, local servers) passes through; anything else is a bug.
      onUnhandledRequest(request, print) {
        const host = new URL(request.url).hostname;
        if (host === "127.0.0.1" || host === "localhost" || host === "::1" || host === "[::1]") return;
        print.error();
      },
    }),
  );
  afterEach(async () => {
    if (options.resetBetweenTests !== false) simulator.reset();
    // With a shared store the reset is done once it reached the store.
    await simulator.settle();
  });
  afterAll(async () => {
    server.close();
    await simulator.close();
    if (store && !options.store) await store.close();
    expect(harness.violations, "responses that break the provider's spec").toEqual([]);
  });
  return harness;
}
