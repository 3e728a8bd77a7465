/**
 * Ideogram's in-flight limit: images being upscaled at once per organisation (here: per
 * namespace), where every image of `num_images` counts. Slots are taken before the work starts
 * and given back when the answer is ready, whatever it is.
 */
import type { NamespaceState } from "../../engine/provider.ts";

const inFlight = new WeakMap<NamespaceState, number>();

export function imagesInFlight(ns: NamespaceState): number {
  return inFlight.get(ns) ?? 0;
}

/** Takes `count` slots; false (nothing taken) when that would go over `limit`. */
export function acquire(ns: NamespaceState, count: number, limit: number): boolean {
  const current = imagesInFlight(ns);
  if (current + count > limit) return false;
  inFlight.set(ns, current + count);
  return true;
}

export function release(ns: NamespaceState, count: number): void {
  inFlight.set(ns, Math.max(0, imagesInFlight(ns) - count));
}
