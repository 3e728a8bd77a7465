/**
 * The namespaces one simulator holds, most recently used last: each has its own clock, tasks,
 * journal, webhook queue and scenarios, so parallel test runs never see each other. Bounded: a
 * new namespace beyond the cap forgets the least recently used one (never `default`).
 */
import { type Clock, VirtualClock } from "../../src/core/clock.ts";
import { seededRandom } from "./faults.ts";
import { Journal } from "./journal.ts";
import type { NamespaceState, SimulatorServices } from "./provider.ts";
import { defaultNamespace } from "./simulator-types.ts";
import { type Progress, type Task, TaskStore, type TaskView } from "./tasks.ts";
import type { DispatcherSettings } from "./webhook-options.ts";
import { WebhookDispatcher } from "./webhooks.ts";

export interface NamespaceSettings {
  defaultClock: Clock;
  progress: Progress;
  holdMs: number;
  maxTasks: number;
  maxNamespaces: number;
  journalCapacity: number;
  seed: number;
  settings: Record<string, string>;
  credentialHeaders: ReadonlySet<string>;
  /** How the namespace's webhooks are signed, sent and (among replicas) shared. */
  webhooks: () => DispatcherSettings;
  /** A task of the namespace changed state. */
  onTransition(ns: NamespaceState, task: Task, view: TaskView): void;
  /** Watches tasks created with a watch instead of the clock's timers (replicas share them). */
  watch?: (ns: NamespaceState, task: Task) => void;
  /** The namespace is about to be forgotten (to make room): drop what else refers to it. */
  onEvict(name: string): void;
}

export class Namespaces {
  readonly #byName = new Map<string, NamespaceState>();
  readonly #settings: NamespaceSettings;

  constructor(settings: NamespaceSettings) {
    this.#settings = settings;
  }

  /** The namespace, created on first use; marks it as the most recently used. */
  get(name: string = defaultNamespace): NamespaceState {
    const ns = this.#byName.get(name);
    if (ns) {
      // Map order is recency order: the least recently used namespace is evicted first.
      if (name !== defaultNamespace) {
        this.#byName.delete(name);
        this.#byName.set(name, ns);
      }
      return ns;
    }
    this.#evict();
    const created = this.#create(name);
    this.#byName.set(name, created);
    return created;
  }

  /** The namespace if this process holds it, without creating it or touching its recency. */
  peek(name: string): NamespaceState | undefined {
    return this.#byName.get(name);
  }

  names(): string[] {
    return [...this.#byName.keys()];
  }

  #create(name: string): NamespaceState {
    const s = this.#settings;
    const clock = name === defaultNamespace ? s.defaultClock : this.#clockForNewNamespace();
    const ns: NamespaceState = {
      name,
      clock,
      tasks: new TaskStore({
        clock,
        namespace: name,
        progress: s.progress,
        holdMs: s.holdMs,
        maxTasks: s.maxTasks,
        // Called on transitions only, by then `ns` is complete.
        onTransition: (task, view) => s.onTransition(ns, task, view),
        ...(s.watch ? { watcher: (task: Task) => s.watch?.(ns, task) } : {}),
      }),
      journal: new Journal(s.journalCapacity, undefined, s.credentialHeaders),
      webhooks: new WebhookDispatcher({ clock, ...s.webhooks() }),
      scenarios: new Map(),
      attempts: new Map(),
      random: seededRandom(s.seed ^ hashString(name)),
      settings: new Map(Object.entries(s.settings)),
      providerState: new Map(),
    };
    return ns;
  }

  /** Keeps the namespace count under `maxNamespaces` by forgetting the least recently used ones. */
  #evict(): void {
    const max = Math.max(1, this.#settings.maxNamespaces);
    for (const name of this.#byName.keys()) {
      if (this.#byName.size < max) return;
      if (name === defaultNamespace) continue;
      this.#settings.onEvict(name);
      this.#byName.delete(name);
    }
  }

  /** A virtual default clock gives each namespace a virtual clock of its own, starting now. */
  #clockForNewNamespace(): Clock {
    const clock = this.#settings.defaultClock;
    return clock instanceof VirtualClock
      ? new VirtualClock({ start: clock.now(), autoAdvance: clock.autoAdvance })
      : clock;
  }
}

function hashString(text: string): number {
  let hash = 2166136261;
  for (let i = 0; i < text.length; i++) hash = Math.imul(hash ^ text.charCodeAt(i), 16777619);
  return hash >>> 0;
}

/** Forgets what this process holds of a namespace: tasks, journal, deliveries, scenarios, files. */
export function forgetHeld(ns: NamespaceState, services: SimulatorServices): void {
  ns.tasks.clear();
  ns.journal.clear();
  ns.webhooks.clearNamespace(ns.name);
  ns.scenarios.clear();
  ns.attempts.clear();
  ns.providerState.clear();
  services.files.clearNamespace(ns.name);
  services.outputs.clearNamespace(ns.name);
}
