/**
 * Two simulators on one state store behave as one: a scenario set on either holds on both,
 * attempts add up, a reset reaches both. Runs on the in-memory store and on a redis-server
 * started here, and without a store the two stay apart (today's single-process behaviour).
 */
import { randomUUID } from "node:crypto";
import { Redis } from "ioredis";
import { describe, expect, it } from "vitest";
import { createSimulator, type Simulator } from "../../mocks/simulator.ts";
import { freepikStatus, useStorePairs } from "../helpers/store-pairs.ts";

const { stores, closers, redisUrl } = useStorePairs();

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
    expect(await freepikStatus(b, ns)).toBe(404);
    expect(a.setScenario(ns, "freepik", "outage")).toEqual([]);
    await a.settle();
    await expect.poll(() => freepikStatus(b, ns)).toBe(503);
    expect((await b.synced(ns)).scenarios.get("freepik")).toBe("outage");
    b.clearScenario(ns, "freepik");
    await b.settle();
    await expect.poll(() => freepikStatus(a, ns)).toBe(404);
  });

  it("count attempts together: rate-limited refuses the first two reads, wherever they land", async () => {
    const [a, b] = await pair();
    const ns = `a-${randomUUID()}`;
    a.setScenario(ns, "freepik", "rate-limited");
    await a.settle();
    expect([await freepikStatus(b, ns), await freepikStatus(a, ns), await freepikStatus(b, ns)]).toEqual([
      429, 429, 404,
    ]);
  });

  it("reset a namespace on both", async () => {
    const [a, b] = await pair();
    const ns = `r-${randomUUID()}`;
    a.setScenario(ns, "*", "outage");
    await a.settle();
    await expect.poll(() => freepikStatus(b, ns)).toBe(503);
    b.reset(ns);
    await b.settle();
    await expect.poll(() => freepikStatus(a, ns)).toBe(404);
    expect(await freepikStatus(b, ns)).toBe(404);
  });
});

describe("a namespace setting on redis", () => {
  it("is kept 30 days after its last change, not for ever", async () => {
    const [store] = await stores.find((s) => s.name === "redis")!.open();
    const sim = createSimulator({ latency: "none", store });
    closers.push(() => sim.close());
    const ns = `t-${randomUUID()}`;
    sim.setSetting(ns, "onemin.rateLimitPerMinute", "5");
    await sim.settle();
    const redis = new Redis(redisUrl());
    try {
      const [key, ...others] = await redis.keys(`*settings*${ns}`);
      expect(others).toEqual([]);
      const days = (await redis.pttl(key!)) / 86_400_000;
      expect(days).toBeGreaterThan(29.9);
      expect(days).toBeLessThanOrEqual(30);
    } finally {
      redis.disconnect();
    }
  });
});

describe("two simulators without a store", () => {
  it("keep their scenarios apart, as one process always has", async () => {
    const [a, b] = [createSimulator({ latency: "none" }), createSimulator({ latency: "none" })];
    a.setScenario("default", "freepik", "outage");
    await a.settle();
    expect(await freepikStatus(a, "default")).toBe(503);
    expect(await freepikStatus(b, "default")).toBe(404);
  });
});
