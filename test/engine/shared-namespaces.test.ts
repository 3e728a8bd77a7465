/**
 * Two simulators on one state store behave as one: a scenario set on either holds on both,
 * attempts add up, a reset reaches both. Runs on the in-memory store and on a redis-server
 * started here, and without a store the two stay apart (today's single-process behaviour).
 */
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { SimRequest } from "../../mocks/engine/sim-http.ts";
import { MemoryStateStore } from "../../mocks/engine/store/memory-store.ts";
import { RedisStateStore } from "../../mocks/engine/store/redis-store.ts";
import type { StateStore } from "../../mocks/engine/store/state-store.ts";
import { createSimulator, type Simulator } from "../../mocks/simulator.ts";
import { startRedis, type TestRedis } from "../../scripts/lib/redis-server.ts";

let redis: TestRedis;
const closers: Array<() => Promise<void>> = [];

beforeAll(async () => {
  redis = await startRedis();
});

afterAll(async () => {
  for (const close of closers) await close();
  await redis?.stop();
});

/** A Freepik status read of a task nobody created: 404 when healthy, the fault's status otherwise. */
async function status(sim: Simulator, namespace: string): Promise<number> {
  const req: SimRequest = {
    method: "GET",
    path: `/v1/ai/image-upscaler/${randomUUID()}`,
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

const stores: Array<{ name: string; open(): Promise<[StateStore, StateStore]> }> = [
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
      const prefix = `sim${randomUUID().slice(0, 8)}:`;
      const pair = await Promise.all([
        RedisStateStore.open({ url: redis.url, prefix }),
        RedisStateStore.open({ url: redis.url, prefix }),
      ]);
      for (const store of pair) closers.push(() => store.close());
      return pair;
    },
  },
];

describe.each(stores)("two simulators on one $name store", ({ open }) => {
  async function pair(): Promise<[Simulator, Simulator]> {
    const [storeA, storeB] = await open();
    const sims = [storeA, storeB].map((store) => createSimulator({ latency: "none", store }));
    for (const sim of sims) closers.push(() => sim.close());
    return sims as [Simulator, Simulator];
  }

  it("share a scenario set on either, and its removal", async () => {
    const [a, b] = await pair();
    const ns = `s-${randomUUID()}`;
    expect(await status(b, ns)).toBe(404);
    expect(a.setScenario(ns, "freepik", "outage")).toEqual([]);
    await a.settle();
    await expect.poll(() => status(b, ns)).toBe(503);
    expect((await b.synced(ns)).scenarios.get("freepik")).toBe("outage");
    b.clearScenario(ns, "freepik");
    await b.settle();
    await expect.poll(() => status(a, ns)).toBe(404);
  });

  it("count attempts together: rate-limited refuses the first two reads, wherever they land", async () => {
    const [a, b] = await pair();
    const ns = `a-${randomUUID()}`;
    a.setScenario(ns, "freepik", "rate-limited");
    await a.settle();
    expect([await status(b, ns), await status(a, ns), await status(b, ns)]).toEqual([429, 429, 404]);
  });

  it("reset a namespace on both", async () => {
    const [a, b] = await pair();
    const ns = `r-${randomUUID()}`;
    a.setScenario(ns, "*", "outage");
    await a.settle();
    await expect.poll(() => status(b, ns)).toBe(503);
    b.reset(ns);
    await b.settle();
    await expect.poll(() => status(a, ns)).toBe(404);
    expect(await status(b, ns)).toBe(404);
  });
});

describe("two simulators without a store", () => {
  it("keep their scenarios apart, as one process always has", async () => {
    const [a, b] = [createSimulator({ latency: "none" }), createSimulator({ latency: "none" })];
    a.setScenario("default", "freepik", "outage");
    await a.settle();
    expect(await status(a, "default")).toBe(503);
    expect(await status(b, "default")).toBe(404);
  });
});
