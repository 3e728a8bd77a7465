/**
 * The state store the simulator tests run on. The `redis-store` vitest project (see
 * vitest.config.ts) runs a chosen set of them again on a redis-server its global setup
 * started, so both stores show the same behaviour; the default project keeps state in memory.
 */
import { randomUUID } from "node:crypto";
import { inject } from "vitest";
import { RedisStateStore } from "../../mocks/engine/store/redis-store.ts";
import type { StateStore } from "../../mocks/engine/store/state-store.ts";

declare module "vitest" {
  export interface ProvidedContext {
    /** Set by test/helpers/redis-global-setup.ts in the `redis-store` project. */
    testRedisUrl?: string;
  }
}

/**
 * A Redis store (a key prefix of its own, so files never meet) when the project provides one,
 * else undefined. Usable at once: calls wait for the connection, so a simulator can be built
 * with it at a file's top level.
 */
export function testStore(): StateStore | undefined {
  const url = inject("testRedisUrl");
  if (!url) return undefined;
  const opening = RedisStateStore.open({ url, prefix: `test${randomUUID().slice(0, 8)}:` });
  return new Proxy({} as StateStore, {
    get(_target, name: keyof StateStore) {
      if (name === "kind") return "redis";
      return async (...args: unknown[]) => {
        const store = await opening;
        return (store[name] as (...a: unknown[]) => unknown).apply(store, args);
      };
    },
  });
}
