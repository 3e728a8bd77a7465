/**
 * Limits a provider documents, enforced by the engine so they hold across replicas: a route
 * declares a per-window request limit (checked just before its handler, after faults and
 * credentials), and a handler takes slots of a bounded concurrency (work in flight) through its
 * context. Here is the one-process form, kept in the namespace; shared-limits.ts is the form a
 * replica uses, counting in the shared store.
 */
import type { ProviderId } from "./faults.ts";
import type { NamespaceState, Route } from "./provider.ts";
import type { SimRequest, SimResponse } from "./sim-http.ts";

/** A route's request limit per sliding window, counted per namespace and key. */
export interface RateLimit {
  /** What is counted apart, e.g. the caller's API key. */
  key: string;
  /** Requests the window holds; the next one is refused (and not counted). */
  limit: number;
  /** The window, in ms of the namespace clock. */
  windowMs: number;
  /** The provider's own refusal; `retryAfterSeconds` until the oldest request leaves the window. */
  refuse(retryAfterSeconds: number): SimResponse;
}

/** Slots a handler holds; give them back once its answer is ready, whatever it is. */
export interface SlotHold {
  release(): void;
}

/** The limits one request meets across replicas (shared-limits.ts). */
export interface RequestLimits {
  /** The route's refusal when the request is over its rate limit; otherwise it is counted. */
  rateRefusal(): SimResponse | undefined;
  /** Takes `count` of the namespace's `limit` slots named `name`; `undefined` when that would go over. */
  takeSlots(name: string, count: number, limit: number): Promise<SlotHold | undefined>;
}

/** Seconds until a place frees up in a window whose oldest counted request was at `oldest`. */
export function retryAfterSeconds(oldest: number, windowMs: number, now: number): number {
  return Math.max(1, Math.ceil((oldest + windowMs - now) / 1000));
}

/** The route's limit for this request; `undefined` when it has none or it is off (0). */
export function rateLimitOf(route: Route, req: SimRequest, ns: NamespaceState): RateLimit | undefined {
  const limit = route.rateLimit?.(req, ns);
  return limit && limit.limit > 0 ? limit : undefined;
}

/** Distinct keys remembered per namespace (oldest forgotten first). */
const maxWindowKeys = 1_000;
/** Where a namespace keeps its windows: provider state, so a reset forgets them. */
const windowsState = "engine.rateWindows";

/** Slots in use per namespace, by `provider:name` (work in flight outlives a reset). */
const slotsInUse = new WeakMap<NamespaceState, Map<string, number>>();

/** Slots of `name` in use in this process's namespace. */
export function localSlotsInUse(ns: NamespaceState, provider: ProviderId, name: string): number {
  return slotsInUse.get(ns)?.get(`${provider}:${name}`) ?? 0;
}

/**
 * Without a shared store: the route's refusal when the request is over its rate limit, counted
 * in the namespace otherwise (nothing awaited).
 */
export function localRateRefusal(
  ns: NamespaceState,
  provider: ProviderId,
  route: Route,
  req: SimRequest,
): SimResponse | undefined {
  const limit = rateLimitOf(route, req, ns);
  if (!limit) return undefined;
  let byKey = ns.providerState.get(windowsState) as Map<string, number[]> | undefined;
  if (!byKey) {
    byKey = new Map();
    ns.providerState.set(windowsState, byKey);
  }
  const key = `${provider}\u0000${limit.key}`;
  const now = ns.clock.now();
  const times = (byKey.get(key) ?? []).filter((t) => t > now - limit.windowMs);
  // Re-inserted, so the key least recently used is the first one forgotten.
  byKey.delete(key);
  byKey.set(key, times);
  if (byKey.size > maxWindowKeys) byKey.delete(byKey.keys().next().value as string);
  if (times.length >= limit.limit) return limit.refuse(retryAfterSeconds(times[0]!, limit.windowMs, now));
  times.push(now);
  return undefined;
}

/** Without a shared store: takes slots in this process's namespace. */
export function localTakeSlots(
  ns: NamespaceState,
  provider: ProviderId,
  name: string,
  count: number,
  limit: number,
): Promise<SlotHold | undefined> {
  let inUse = slotsInUse.get(ns);
  if (!inUse) {
    inUse = new Map();
    slotsInUse.set(ns, inUse);
  }
  const key = `${provider}:${name}`;
  const current = inUse.get(key) ?? 0;
  if (current + count > limit) return Promise.resolve(undefined);
  inUse.set(key, current + count);
  let held = true;
  const release = () => {
    if (!held) return;
    held = false;
    inUse.set(key, Math.max(0, (inUse.get(key) ?? 0) - count));
  };
  return Promise.resolve({ release });
}
