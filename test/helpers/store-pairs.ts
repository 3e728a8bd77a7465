/**
 * For tests of replicas sharing a state store: two stores that see one state (the same
 * in-memory store twice, or two connections to one redis-server), and a request to send.
 */
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll } from "vitest";
import type { SimRequest } from "../../mocks/engine/sim-http.ts";
import type { Simulator } from "../../mocks/engine/simulator.ts";
import { MemoryStateStore } from "../../mocks/engine/store/memory-store.ts";
import { RedisStateStore } from "../../mocks/engine/store/redis-store.ts";
import type { StateStore } from "../../mocks/engine/store/state-store.ts";
import { startRedis, type TestRedis } from "../../scripts/lib/redis-server.ts";

export interface StorePair {
  name: "memory" | "redis";
  open(): Promise<[StateStore, StateStore]>;
}

/**
 * Both backends, for `describe.each`: starts a redis-server for the file and, after it, closes
 * what `closers` collected (the stores, and what a test adds) and stops the server.
 */
export function useStorePairs(): {
  stores: StorePair[];
  closers: Array<() => Promise<void>>;
  /** The file's redis-server, for a test that looks at its keys directly. */
  redisUrl: () => string;
} {
  let redis: TestRedis | undefined;
  const closers: Array<() => Promise<void>> = [];
  beforeAll(async () => {
    redis = await startRedis();
  });
  afterAll(async () => {
    for (const close of closers) await close();
    await redis?.stop();
  });
  const redisUrl = () => redis!.url;
  return { stores: storePairs(redisUrl, closers), closers, redisUrl };
}

function storePairs(redisUrl: () => string, closers: Array<() => Promise<void>>): StorePair[] {
  return [
    {
      name: "memory",
      open: async () => {
        const store = new MemoryStateStore();
        return [store, store];
      },
    },
    {
      name: "redis",
      open: async () => {
        // A prefix per pair keeps the cases apart on the one server.
        const prefix = `p${randomUUID().slice(0, 8)}:`;
        const pair = await Promise.all([
          RedisStateStore.open({ url: redisUrl(), prefix }),
          RedisStateStore.open({ url: redisUrl(), prefix }),
        ]);
        for (const store of pair) closers.push(() => store.close());
        return pair;
      },
    },
  ];
}

/** A Freepik status read of a task nobody created: 404 when healthy, the fault's status otherwise. */
export async function freepikStatus(sim: Simulator, namespace: string, id = randomUUID()): Promise<number> {
  const req: SimRequest = {
    method: "GET",
    path: `/v1/ai/image-upscaler/${id}`,
    query: new URLSearchParams(),
    headers: { "x-freepik-api-key": "any" },
    body: new Uint8Array(),
  };
  const answer = await sim.handle({
    provider: "freepik",
    host: "api",
    req,
    namespace,
    url: (_host, path) => `http://127.0.0.1/freepik${path}`,
    resolveOwn: () => undefined,
  });
  return answer.status;
}
