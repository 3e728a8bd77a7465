/**
 * The limits of limits.ts counted in the shared store, so N replicas allow what one provider
 * would, not N times it.
 *
 * A rate-limited request is counted in its window while the replica loads what the request
 * needs (the same round trip's time), before its faults are known: one that never reaches its
 * handler (a fault answered, credentials refused) is taken back out once answered. Windows run
 * on the namespace clock (virtual or real) of the replica that counts, so advancing a virtual
 * clock slides them as it does in one process.
 *
 * Slots are leases on the store's own clock: a replica renews the slots it holds every third of
 * the lease and gives them back with the answer; those of a replica that died lapse after one
 * lease.
 */
import { createHash, randomUUID } from "node:crypto";
import type { ProviderId } from "./faults.ts";
import {
  type RateLimit,
  type RequestLimits,
  rateLimitOf,
  retryAfterSeconds,
  type SlotHold,
} from "./limits.ts";
import type { NamespaceState, Route } from "./provider.ts";
import type { SimRequest, SimResponse } from "./sim-http.ts";
import type { SlotLease, StateStore, WindowCount } from "./store/state-store.ts";

/** How long a slot stays taken without its holder renewing it (what a dead replica leaks). */
export const defaultSlotLeaseMs = 5_000;
/** A window untouched this long (wall time) is forgotten. */
const windowIdleMs = 60 * 60 * 1000;

/** Slots one request holds, renewed until released. */
interface HeldSlots {
  namespace: string;
  name: string;
  lease: SlotLease;
}

/** Store names: the key is hashed, so no caller's API key is written to the store. */
const windowName = (provider: ProviderId, key: string) =>
  `rate:${provider}:${createHash("sha256").update(key).digest("base64url").slice(0, 22)}`;
const slotsName = (provider: ProviderId, name: string) => `slots:${provider}:${name}`;

/** One replica's side of the shared limits: the slots it holds and their renewal. */
export class SharedLimits {
  readonly store: StateStore;
  readonly leaseMs: number;
  readonly #replica = randomUUID().slice(0, 8);
  readonly #held = new Set<HeldSlots>();
  #serial = 0;
  #timer: NodeJS.Timeout | undefined;

  constructor(store: StateStore, leaseMs = defaultSlotLeaseMs) {
    this.store = store;
    this.leaseMs = leaseMs;
  }

  /** The limits of one request. */
  forRequest(ns: NamespaceState, provider: ProviderId, route: Route, req: SimRequest): SharedRequestLimits {
    return new SharedRequestLimits(this, ns, provider, rateLimitOf(route, req, ns));
  }

  /** A name no other request of any replica uses. */
  uniqueId(): string {
    return `${this.#replica}:${++this.#serial}`;
  }

  /** Takes slots and keeps them renewed until their release. */
  async take(ns: NamespaceState, provider: ProviderId, name: string, count: number, limit: number) {
    const held: HeldSlots = {
      namespace: ns.name,
      name: slotsName(provider, name),
      lease: { holder: this.uniqueId(), count },
    };
    if (!(await this.store.takeSlots(held.namespace, held.name, held.lease, limit, this.leaseMs)))
      return undefined;
    this.#held.add(held);
    this.#timer ??= setInterval(() => void this.#renew(), Math.max(1, this.leaseMs / 3)).unref();
    return held;
  }

  /** Gives slots back (no longer renewed). */
  release(held: HeldSlots): Promise<void> {
    this.#held.delete(held);
    if (this.#held.size === 0) this.stop();
    return this.store.releaseSlots(held.namespace, held.name, held.lease);
  }

  stop(): void {
    clearInterval(this.#timer);
    this.#timer = undefined;
  }

  async #renew(): Promise<void> {
    const groups = new Map<string, HeldSlots[]>();
    for (const held of this.#held) {
      const key = `${held.namespace}\u0000${held.name}`;
      groups.set(key, [...(groups.get(key) ?? []), held]);
    }
    await Promise.all(
      [...groups.values()].map((group) =>
        this.store
          .renewSlots(
            group[0]!.namespace,
            group[0]!.name,
            group.map((held) => held.lease),
            this.leaseMs,
          )
          // The store away: the next round tries again, and the answer still releases them.
          .catch(() => {}),
      ),
    );
  }
}

/** One request's limits on the shared store. */
export class SharedRequestLimits implements RequestLimits {
  readonly #shared: SharedLimits;
  readonly #ns: NamespaceState;
  readonly #provider: ProviderId;
  readonly #rate: RateLimit | undefined;
  #counted: { id: string; name: string; now: number; verdict: WindowCount } | undefined;
  #consulted = false;
  /** Releases under way, awaited before the answer leaves. */
  readonly #releasing: Array<Promise<void>> = [];

  constructor(shared: SharedLimits, ns: NamespaceState, provider: ProviderId, rate: RateLimit | undefined) {
    this.#shared = shared;
    this.#ns = ns;
    this.#provider = provider;
    this.#rate = rate;
  }

  /** Counts the request in its route's window (nothing when it has none); before the handler. */
  async count(): Promise<void> {
    const rate = this.#rate;
    if (!rate) return;
    const id = this.#shared.uniqueId();
    const name = windowName(this.#provider, rate.key);
    const now = this.#ns.clock.now();
    const event = { id, now, windowMs: rate.windowMs, limit: rate.limit, idleMs: windowIdleMs };
    const verdict = await this.#shared.store.countInWindow(this.#ns.name, name, event);
    this.#counted = { id, name, now, verdict };
  }

  rateRefusal(): SimResponse | undefined {
    this.#consulted = true;
    const counted = this.#counted;
    if (!this.#rate || !counted || counted.verdict.counted) return undefined;
    return this.#rate.refuse(retryAfterSeconds(counted.verdict.oldest, this.#rate.windowMs, counted.now));
  }

  async takeSlots(name: string, count: number, limit: number): Promise<SlotHold | undefined> {
    const held = await this.#shared.take(this.#ns, this.#provider, name, count, limit);
    if (!held) return undefined;
    let holding = true;
    return {
      release: () => {
        if (!holding) return;
        holding = false;
        const releasing = this.#shared.release(held);
        // Awaited by settle(); a handler that threw never gets there, and the lease lapses.
        releasing.catch(() => {});
        this.#releasing.push(releasing);
      },
    };
  }

  /**
   * After the answer: releases done, and the count taken back when the handler never ran. Either
   * failing (the store away) leaves the answer as it is: a slot's lease lapses by itself, and a
   * count leaves its window in time.
   */
  async settle(): Promise<void> {
    const counted = this.#counted;
    if (counted?.verdict.counted && !this.#consulted)
      this.#releasing.push(this.#shared.store.uncountInWindow(this.#ns.name, counted.name, counted.id));
    await Promise.allSettled(this.#releasing);
  }
}
