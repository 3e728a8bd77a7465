/**
 * Ideogram's in-flight limit: images being upscaled at once per organisation (here: per
 * namespace), where every image of `num_images` counts. Slots are taken before the work starts
 * and given back when the answer is ready, whatever it is; the engine counts them (across
 * replicas on a shared store).
 */
import { localSlotsInUse } from "../../engine/limits.ts";
import type { NamespaceState } from "../../engine/provider.ts";

/** The slots' name in the engine's count. */
export const inflightSlots = "inflight-images";

/** Images in flight in this process's namespace (without a shared store). */
export function imagesInFlight(ns: NamespaceState): number {
  return localSlotsInUse(ns, "ideogram", inflightSlots);
}
