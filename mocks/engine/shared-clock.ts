/**
 * The virtual clock across replicas. Each replica runs its own clock per namespace (its timers
 * fire there), and the time one replica's admin API moved a namespace to is kept in the store
 * and announced: every other replica moves its clock of that namespace forward to it, firing
 * what fell due, and a replica that meets the namespace later starts from it. Real clocks agree
 * already and are left alone.
 */
import { VirtualClock } from "../../src/core/clock.ts";
import type { NamespaceState } from "./provider.ts";
import type { StateStore } from "./store/state-store.ts";

const channel = "clock";
const record = "clock";

interface Moved {
  namespace: string;
  now: number;
}

export class SharedClock {
  readonly #store: StateStore;
  readonly #local: (namespace: string) => NamespaceState | undefined;
  #unsubscribe: (() => Promise<void>) | undefined;

  constructor(store: StateStore, local: (namespace: string) => NamespaceState | undefined) {
    this.#store = store;
    this.#local = local;
  }

  async start(): Promise<void> {
    this.#unsubscribe ??= await this.#store.subscribe(channel, (message) => this.#hear(message));
  }

  async stop(): Promise<void> {
    await this.#unsubscribe?.();
    this.#unsubscribe = undefined;
  }

  /** Brings the namespace's clock up to the time stored for it (when it is virtual and behind). */
  async load(ns: NamespaceState): Promise<void> {
    if (!(ns.clock instanceof VirtualClock)) return;
    const stored = Number((await this.#store.getRecord(ns.name, record))?.now);
    if (Number.isFinite(stored)) await catchUp(ns.clock, stored);
  }

  /** Stores the namespace's time (after this replica's admin API moved it) and tells every replica. */
  async moved(ns: NamespaceState): Promise<void> {
    const now = ns.clock.now();
    await this.#store.setFields(ns.name, record, { now: String(now) });
    await this.#store.publish(channel, JSON.stringify({ namespace: ns.name, now } satisfies Moved));
  }

  #hear(message: string): void {
    let moved: Moved;
    try {
      moved = JSON.parse(message) as Moved;
    } catch {
      return;
    }
    const clock = this.#local(moved.namespace)?.clock;
    if (clock instanceof VirtualClock && typeof moved.now === "number") void catchUp(clock, moved.now);
  }
}

/** Moves a virtual clock forward to `now` (never back: a replica ahead stays where it is). */
function catchUp(clock: VirtualClock, now: number): Promise<void> {
  const behind = now - clock.now();
  return behind > 0 ? clock.advance(behind) : Promise.resolve();
}
