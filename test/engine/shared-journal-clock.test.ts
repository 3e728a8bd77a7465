/**
 * Two simulators on one state store (in memory, and a redis-server started here) share their
 * journal and their virtual clocks: either lists what both answered, numbered in one sequence,
 * and time moved on one holds on the other, also for a namespace the other meets later.
 */
import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { createSimulator, type Simulator } from "../../mocks/simulator.ts";
import { VirtualClock } from "../../src/core/clock.ts";
import { freepikStatus, useStorePairs } from "../helpers/store-pairs.ts";

const { stores, closers } = useStorePairs();

async function until(check: () => boolean, ms = 5_000): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (!check() && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 10));
  return check();
}

describe.each(stores)("two simulators on one $name store", ({ open }) => {
  async function pair(): Promise<[Simulator, Simulator]> {
    const [storeA, storeB] = await open();
    const sims = [storeA, storeB].map((store) =>
      createSimulator({ latency: "none", store, clock: new VirtualClock({ start: Date.UTC(2026, 0, 1) }) }),
    );
    for (const sim of sims) closers.push(() => sim.close());
    return sims as [Simulator, Simulator];
  }

  it("list every replica's exchanges, in one numbered sequence, bodies where they were answered", async () => {
    const [a, b] = await pair();
    const ns = `j-${randomUUID()}`;
    const ids = [randomUUID(), randomUUID(), randomUUID()];
    // Each replica writes its exchanges in batches (every 0.1 s); flushing stands for that wait.
    for (const [sim, id] of [
      [a, ids[0]],
      [b, ids[1]],
      [a, ids[2]],
    ] as const) {
      await freepikStatus(sim, ns, id);
      await sim.shared!.journal.flush();
    }
    for (const sim of [a, b]) {
      const listed = await sim.shared!.journal.exchanges(ns, sim.namespace(ns));
      expect(listed.map((e) => e.entry.path.split("/").at(-1))).toEqual(ids);
      expect(listed.map((e) => e.entry.seq)).toEqual([1, 2, 3]);
      expect(new Set(listed.map((e) => e.replica)).size).toBe(2);
      // Credentials are fingerprints in the shared log too.
      expect(listed[1]!.entry.headers["x-freepik-api-key"]).toMatch(/^fp:/);
      const own = listed.filter((e) => e.replica === sim.shared!.journal.replica);
      expect(own.every((e) => e.response.body !== undefined)).toBe(true);
      expect(listed.filter((e) => !own.includes(e)).every((e) => e.response.body === undefined)).toBe(true);
    }
    const later = await b.shared!.journal.exchanges(ns, b.namespace(ns), { since: 2 });
    expect(later.map((e) => e.entry.seq)).toEqual([3]);
    expect(await a.shared!.journal.namespaces()).toContain(ns);
    a.reset(ns);
    await a.settle();
    expect(await b.shared!.journal.exchanges(ns, b.namespace(ns))).toEqual([]);
  });

  it("move a namespace's virtual clock on every replica, and start one met later from it", async () => {
    const [a, b] = await pair();
    const ns = `c-${randomUUID()}`;
    const here = await a.synced(ns);
    const there = await b.synced(ns);
    const start = here.clock.now();
    await (here.clock as VirtualClock).advance(60_000);
    await a.shared!.clock.moved(here);
    expect(await until(() => there.clock.now() === start + 60_000)).toBe(true);
    // Never backwards: b ahead stays ahead when a announces an older time.
    await (there.clock as VirtualClock).advance(1_000);
    await a.shared!.clock.moved(here);
    expect(there.clock.now()).toBe(start + 61_000);

    const later = `c-${randomUUID()}`;
    const first = await a.synced(later);
    await (first.clock as VirtualClock).advance(3_600_000);
    await a.shared!.clock.moved(first);
    expect((await b.synced(later)).clock.now()).toBe(first.clock.now());
  });
});
