/**
 * What replicas on one state store agree on about a namespace: its scenarios and settings (set
 * through any replica's admin API), its attempt counters (so "the first two attempts fail" counts requests
 * to every replica), resets, its journal and its virtual clock. Each replica keeps a copy of
 * the scenarios for the hot path and reloads it when another replica announces a change over
 * the store's pub/sub.
 */
import { randomUUID } from "node:crypto";
import type { NamespaceState } from "./provider.ts";
import { SharedClock } from "./shared-clock.ts";
import { SharedJournal } from "./shared-journal.ts";
import type { StateStore } from "./store/state-store.ts";

const channel = "namespaces";
const scenariosKey = "scenarios";
/**
 * A namespace's changed settings live outside its keys, so a reset (which forgets the
 * namespace's keys) keeps them, as a single process keeps them.
 */
const settingsNamespace = "\u0000settings";
/** Settings outlive a namespace's other state, yet not for ever: this long after their last change. */
const settingsKeepMs = 30 * 24 * 60 * 60 * 1000;
const attemptsKey = "attempts";

/** An announcement to every other replica (`from` names the sender, which ignores its own). */
type Announcement = { from?: string } & (
  | { kind: "config"; namespace: string }
  | { kind: "reset"; namespace?: string }
);

export interface SharedNamespaceEvents {
  /** A namespace this replica may hold; `undefined` when it holds none by that name. */
  local(namespace: string): NamespaceState | undefined;
  /** Another replica (or this one) reset a namespace, or every namespace. */
  onReset(namespace: string | undefined): void;
}

export class SharedNamespaces {
  readonly store: StateStore;
  /** Every replica's exchanges, per namespace. */
  readonly journal: SharedJournal;
  /** Virtual time moved through any replica's admin API. */
  readonly clock: SharedClock;
  readonly #events: SharedNamespaceEvents;
  readonly #replica = randomUUID();
  #listening: Promise<void> | undefined;
  /** Namespaces whose scenarios are loaded (or loading), and the latest load of each. */
  readonly #loads = new WeakMap<NamespaceState, Promise<void>>();
  readonly #generation = new WeakMap<NamespaceState, number>();
  #unsubscribe: (() => Promise<void>) | undefined;
  /** Scenario changes and resets of this replica not yet in the store. */
  #changing: Promise<void> | undefined;

  constructor(store: StateStore, events: SharedNamespaceEvents) {
    this.store = store;
    this.#events = events;
    this.journal = new SharedJournal(store);
    this.clock = new SharedClock(store, (name) => events.local(name));
  }

  /** Starts listening to other replicas (once); resolves once announcements are heard. */
  start(): Promise<void> {
    this.#listening ??= this.store
      .subscribe(channel, (message) => this.#hear(message))
      .then((unsubscribe) => {
        this.#unsubscribe = unsubscribe;
        return this.clock.start();
      });
    // Not listening yet (the store away): the next request tries again.
    this.#listening.catch(() => {
      this.#listening = undefined;
    });
    return this.#listening;
  }

  async stop(): Promise<void> {
    await this.journal.stop();
    await this.clock.stop();
    await this.#unsubscribe?.();
    this.#unsubscribe = undefined;
  }

  /** Resolves once this replica holds the namespace's shared scenarios (loaded once, then kept). */
  async ready(ns: NamespaceState): Promise<void> {
    await this.start();
    let load = this.#loads.get(ns);
    if (!load) {
      load = this.#reload(ns);
      this.#loads.set(ns, load);
      // A failed load (the store away) is tried again by the next request.
      load.catch(() => this.#loads.delete(ns));
    }
    return load;
  }

  /**
   * The attempt number of this request, counted across every replica. A request that follows a
   * scenario change or reset made here waits for it to reach the store: counted in between, its
   * attempt would be wiped by the change's restart of the counts.
   */
  async attempt(namespace: string, key: string): Promise<number> {
    if (this.#changing) await this.#changing;
    return this.store.incrField(namespace, attemptsKey, key);
  }

  /** Stores one provider's scenario (or removes it: `undefined`), restarts its counts, tells all. */
  setScenario(namespace: string, provider: string, spec: string | undefined): Promise<void> {
    return this.#change(async () => {
      if (spec === undefined) await this.store.deleteFields(namespace, scenariosKey, [provider]);
      else await this.store.setFields(namespace, scenariosKey, { [provider]: spec });
      await this.#clearAttempts(namespace, provider);
      await this.#announce({ kind: "config", namespace });
    });
  }

  /** Stores a namespace setting and tells all. */
  setSetting(namespace: string, key: string, value: string): Promise<void> {
    return this.#change(async () => {
      await this.store.setFields(settingsNamespace, namespace, { [key]: value }, settingsKeepMs);
      await this.#announce({ kind: "config", namespace });
    });
  }

  /** Removes every scenario of a namespace and its counts, and tells all. */
  clearScenarios(namespace: string): Promise<void> {
    return this.#change(async () => {
      await this.store.delete(namespace, scenariosKey);
      await this.store.delete(namespace, attemptsKey);
      await this.#announce({ kind: "config", namespace });
    });
  }

  /** Forgets the namespaces' shared state and tells every replica to reset its own. */
  reset(namespaces: string[], all: boolean): Promise<void> {
    return this.#change(async () => {
      // Everything: the namespaces only other replicas have journaled in too.
      const names = all ? new Set([...namespaces, ...(await this.journal.namespaces())]) : namespaces;
      for (const namespace of names) await this.store.clearNamespace(namespace);
      await this.#announce(all ? { kind: "reset" } : { kind: "reset", namespace: namespaces[0]! });
    });
  }

  /** Runs changes one after another; `#changing` is set while any is under way. */
  #change(work: () => Promise<void>): Promise<void> {
    const run = (this.#changing ?? Promise.resolve()).then(work);
    const settled = run.catch(() => {});
    this.#changing = settled;
    void settled.then(() => {
      if (this.#changing === settled) this.#changing = undefined;
    });
    return run;
  }

  async #clearAttempts(namespace: string, provider: string): Promise<void> {
    if (provider === "*") return this.store.delete(namespace, attemptsKey);
    const counts = await this.store.getRecord(namespace, attemptsKey);
    const mine = Object.keys(counts ?? {}).filter((key) => key.startsWith(`${provider}:`));
    await this.store.deleteFields(namespace, attemptsKey, mine);
  }

  async #reload(ns: NamespaceState): Promise<void> {
    // Loads can overlap (an announcement during the first load); only the latest one applies.
    const generation = (this.#generation.get(ns) ?? 0) + 1;
    this.#generation.set(ns, generation);
    const [scenarios = {}, settings = {}] = await Promise.all([
      this.store.getRecord(ns.name, scenariosKey),
      this.store.getRecord(settingsNamespace, ns.name),
      this.clock.load(ns),
    ]);
    if (this.#generation.get(ns) !== generation) return;
    ns.scenarios.clear();
    for (const [provider, spec] of Object.entries(scenarios)) ns.scenarios.set(provider, spec);
    for (const [key, value] of Object.entries(settings)) ns.settings.set(key, value);
  }

  #announce(announcement: Announcement): Promise<void> {
    return this.store.publish(channel, JSON.stringify({ ...announcement, from: this.#replica }));
  }

  #hear(message: string): void {
    let announcement: Announcement;
    try {
      announcement = JSON.parse(message) as Announcement;
    } catch {
      return;
    }
    if (announcement.from === this.#replica) return;
    if (announcement.kind === "reset") {
      this.#events.onReset(announcement.namespace);
      return;
    }
    const ns = this.#events.local(announcement.namespace);
    if (!ns) return;
    const load = this.#reload(ns);
    this.#loads.set(ns, load);
    load.catch(() => this.#loads.delete(ns));
  }
}
