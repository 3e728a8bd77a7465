/**
 * One call in a vitest file gives its tests the simulators in-process: MSW handlers on the
 * providers' real hosts, a virtual clock, a namespace of the file's own, and a reset after each
 * test. Only lifecycle wiring lives here; the behaviour is the simulators'.
 */

import { VirtualClock } from "../src/core/clock.ts";
import { importPeer } from "../src/optional-peer.ts";
import type { ProviderId } from "../src/providers/ids.ts";
import type { JournalEntry, JournalFilter } from "./engine/journal.ts";
import type { NamespaceState } from "./engine/provider.ts";
import type { Simulator } from "./engine/simulator.ts";
import type { TaskView } from "./engine/tasks.ts";
import type { WebhookDelivery } from "./engine/webhooks.ts";
import { createHandlers } from "./msw.ts";
import { type CreateSimulatorOptions, createSimulator } from "./simulator.ts";

const feature = "upscale-harness/vitest";
const [{ afterAll, afterEach, beforeAll }, { setupServer }] = await Promise.all([
  importPeer("vitest", feature, () => import("vitest")),
  importPeer("msw", feature, () => import("msw/node")),
]);

/** The simulator's options (`scenarios` there hold for every test), less the clock, which is made here. */
export interface UseSimulatorsOptions extends Omit<CreateSimulatorOptions, "clock"> {
  /**
   * Let the virtual clock jump to its next timer whenever the test is idle (default true): minutes
   * of provider time pass in milliseconds. With false, time moves only with `advance()`.
   */
  autoAdvance?: boolean;
  /** Clock start in epoch ms (default 2026-01-01, so runs repeat). */
  start?: number;
  /** What MSW does with requests to hosts that are not simulated (default "bypass"). */
  onUnhandledRequest?: "bypass" | "warn" | "error";
}

export interface Simulators {
  /** This file's namespace: tasks, scenarios, journal, deliveries and clock of its own. */
  readonly namespace: string;
  /** The virtual clock the simulators run on: hand it to `createUpscaler({ clock })`. */
  readonly clock: VirtualClock;
  /** The engine, for anything the helpers below do not cover. */
  readonly simulator: Simulator;
  /** Sets a preset scenario (`"outage"`, `"rate-limited,slow"`) for one provider or all ("*"), until reset. */
  scenario(provider: ProviderId | "*", scenario: string): void;
  /** Moves the clock forward, firing every timer due (task progress, webhook deliveries). */
  advance(ms: number): Promise<void>;
  /** What the simulators were asked and answered, oldest first. */
  journal(filter?: JournalFilter): JournalEntry[];
  /** Webhook deliveries and their attempts. */
  webhooks(filter?: { provider?: ProviderId; taskId?: string }): WebhookDelivery[];
  /** The tasks the simulators hold, as a status request would see them. */
  tasks(provider?: ProviderId): TaskView[];
  /** Forgets tasks, scenarios, journal, deliveries and files (done after each test too). */
  reset(): void;
}

let files = 0;

/**
 * Call once at the top of a test file (or a `describe`). MSW listens from `beforeAll` to
 * `afterAll`; after each test the namespace is reset and handlers added with `server.use` dropped.
 */
export function useUpscaleSimulators(options: UseSimulatorsOptions = {}): Simulators {
  const { autoAdvance = true, start, onUnhandledRequest = "bypass", ...simulatorOptions } = options;
  const clock = new VirtualClock({ ...(start !== undefined ? { start } : {}), autoAdvance });
  const simulator = createSimulator({ ...simulatorOptions, clock });
  // The default namespace carries `clock`; a suffix keeps concurrent files apart on a shared engine.
  const namespace = `vitest-${process.pid}-${++files}`;
  const ns = (): NamespaceState => simulator.namespace(namespace);
  const server = setupServer(...createHandlers({ simulator, namespace }));

  const scenario = (provider: ProviderId | "*", spec: string) => {
    const unknown = simulator.setScenario(namespace, provider, spec);
    if (unknown.length > 0) {
      throw new Error(
        `Failed to set the scenario: unknown preset ${unknown.map((name) => `"${name}"`).join(", ")}. See the README's scenario presets.`,
      );
    }
  };

  beforeAll(() => server.listen({ onUnhandledRequest }));
  afterEach(() => {
    server.resetHandlers();
    simulator.reset(namespace);
  });
  afterAll(() => server.close());

  return {
    namespace,
    get clock() {
      return ns().clock as VirtualClock;
    },
    simulator,
    scenario,
    advance: (ms) => (ns().clock as VirtualClock).advance(ms),
    journal: (filter) => ns().journal.list(filter),
    webhooks: (filter = {}) => ns().webhooks.list({ ...filter, namespace }),
    tasks: (provider) =>
      ns()
        .tasks.list()
        .filter((task) => provider === undefined || task.provider === provider)
        .map((task) => ns().tasks.view(task)),
    reset: () => simulator.reset(namespace),
  };
}
