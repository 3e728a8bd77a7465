/** Picks the state store from a spec: `memory` (the default) or a `redis://` URL. */
import { MemoryStateStore } from "./memory-store.ts";
import type { BlobLimits, StateStore } from "./state-store.ts";

/** The environment variable the CLI reads when `--store` is not given. */
export const storeEnvVar = "UPSCALE_HARNESS_STORE";

export async function openStateStore(
  spec: string | undefined,
  limits: Partial<BlobLimits> = {},
): Promise<StateStore> {
  if (spec === undefined || spec === "" || spec === "memory") return new MemoryStateStore(limits);
  if (/^rediss?:\/\//.test(spec)) {
    // Loaded only here, so a process that keeps its state in memory never loads the client.
    const { RedisStateStore } = await import("./redis-store.ts");
    return RedisStateStore.open({ url: spec, ...limits });
  }
  throw new Error(
    `Failed to open the state store "${spec}": expected "memory" or a redis:// URL such as redis://127.0.0.1:6379/0.`,
  );
}
