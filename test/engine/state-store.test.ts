/**
 * One behaviour for both state stores: every case runs against the in-memory store and against a
 * real redis-server started here (two connections to it stand for two replicas).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MemoryStateStore } from "../../mocks/engine/store/memory-store.ts";
import { openStateStore } from "../../mocks/engine/store/open-store.ts";
import { RedisStateStore } from "../../mocks/engine/store/redis-store.ts";
import {
  type BlobLimits,
  type StateStore,
  StoreUnavailableError,
} from "../../mocks/engine/store/state-store.ts";
import { startRedis, type TestRedis } from "../../scripts/lib/redis-server.ts";

let redis: TestRedis;
const opened: StateStore[] = [];

beforeAll(async () => {
  redis = await startRedis();
});

afterAll(async () => {
  await Promise.all(opened.map((store) => store.close()));
  await redis?.stop();
});

interface Backend {
  name: string;
  /** A store and a second view of the same state (another replica's connection). */
  open(limits?: Partial<BlobLimits>): Promise<[StateStore, StateStore]>;
}

const backends: Backend[] = [
  {
    name: "memory",
    open: async (limits) => {
      const store = new MemoryStateStore(limits);
      return [store, store];
    },
  },
  {
    name: "redis",
    open: async (limits) => {
      // A prefix per case keeps the cases apart on the one server.
      const prefix = `t${Math.random().toString(36).slice(2)}:`;
      const pair = await Promise.all([
        RedisStateStore.open({ url: redis.url, prefix, ...limits }),
        RedisStateStore.open({ url: redis.url, prefix, ...limits }),
      ]);
      opened.push(...pair);
      return pair;
    },
  },
];

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe.each(backends)("state store: $name", (backend) => {
  it("keeps records, counts fields atomically and forgets them after their TTL", async () => {
    const [a, b] = await backend.open();
    expect(await a.getRecord("ns", "task:1")).toBeUndefined();
    await a.setFields("ns", "task:1", { state: "QUEUED", data: '{"x":1}' }, 300);
    expect(await b.getRecord("ns", "task:1")).toEqual({ state: "QUEUED", data: '{"x":1}' });
    const counts = await Promise.all(
      Array.from({ length: 20 }, (_, i) => (i % 2 ? a : b).incrField("ns", "task:1", "polls")),
    );
    expect(counts.sort((x, y) => x - y)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    await b.deleteFields("ns", "task:1", ["data"]);
    expect(await a.getRecord("ns", "task:1")).toEqual({ state: "QUEUED", polls: "20" });
    await sleep(350);
    expect(await b.getRecord("ns", "task:1")).toBeUndefined();
  });

  it("reads a record counting one more in a field, and creates nothing for an unknown one", async () => {
    const [a, b] = await backend.open();
    await a.setFields("ns", "task:2", { task: "{}" });
    const reads = await Promise.all(
      Array.from({ length: 10 }, (_, i) => (i % 2 ? a : b).getRecordCounting("ns", "task:2", "polls")),
    );
    expect(reads.map((record) => Number(record?.polls)).sort((x, y) => x - y)).toEqual(
      Array.from({ length: 10 }, (_, i) => i + 1),
    );
    expect(reads[0]?.task).toBe("{}");
    expect(await b.getRecordCounting("ns", "task:unknown", "polls")).toBeUndefined();
    expect(await a.getRecord("ns", "task:unknown")).toBeUndefined();
  });

  it("adds to a field of an existing record only, keeping its TTL", async () => {
    const [a, b] = await backend.open();
    await a.setFields("ns", "task:3", { task: "{}", polls: "2" }, 1_000);
    expect(await b.incrExistingField("ns", "task:3", "polls", 3)).toBe(5);
    expect(await b.incrExistingField("ns", "task:gone", "polls", 3)).toBeUndefined();
    expect(await a.getRecord("ns", "task:gone")).toBeUndefined();
    await sleep(1_100);
    expect(await a.getRecord("ns", "task:3")).toBeUndefined();
    expect(await b.incrExistingField("ns", "task:3", "polls", 1)).toBeUndefined();
    expect(await a.getRecord("ns", "task:3")).toBeUndefined();
  });

  it("stores bytes exactly, refuses one over the cap and evicts the oldest beyond the total", async () => {
    const [a, b] = await backend.open({ maxBlobBytes: 1_000, maxTotalBytes: 2_500 });
    const bytes = (seed: number) => Uint8Array.from({ length: 1_000 }, (_, i) => (i * seed) & 0xff);
    expect(await a.putBlob("ns", "in:1", bytes(1), 60_000)).toBe(true);
    expect(await b.getBlob("ns", "in:1")).toEqual(bytes(1));
    expect(await a.putBlob("ns", "big", new Uint8Array(1_001), 60_000)).toBe(false);
    expect(await a.getBlob("ns", "big")).toBeUndefined();
    await b.putBlob("ns", "in:2", bytes(3), 60_000);
    await a.putBlob("other", "in:3", bytes(7), 60_000);
    expect(await a.getBlob("ns", "in:1")).toBeUndefined();
    expect(await a.getBlob("ns", "in:2")).toEqual(bytes(3));
    expect(await b.getBlob("other", "in:3")).toEqual(bytes(7));
    await a.putBlob("ns", "short", bytes(5), 50);
    await sleep(90);
    expect(await b.getBlob("ns", "short")).toBeUndefined();
  });

  it("counts across replicas, with a window that starts at the first count", async () => {
    const [a, b] = await backend.open();
    const counts = await Promise.all(
      Array.from({ length: 10 }, (_, i) => (i % 2 ? a : b).incr("ns", "attempts:fal:submit", 400)),
    );
    expect(Math.max(...counts)).toBe(10);
    await sleep(100);
    expect(await a.incr("ns", "attempts:fal:submit", 400)).toBe(11);
    await sleep(350);
    expect(await b.incr("ns", "attempts:fal:submit", 400)).toBe(1);
    await a.delete("ns", "attempts:fal:submit");
    expect(await b.incr("ns", "attempts:fal:submit")).toBe(1);
  });

  it("keeps a capped, numbered log of what every replica appended, newest last, until its TTL", async () => {
    const [a, b] = await backend.open();
    const values = (entries: Array<{ seq: number; value: string }>) =>
      entries.map((e) => `${e.seq}=${e.value}`);
    expect(await a.readLog("ns", "journal")).toEqual([]);
    await a.appendLog("ns", "journal", ["a", "b"], 4, 60_000);
    await b.appendLog("ns", "journal", ["c", "d", "e"], 4, 60_000);
    expect(values(await a.readLog("ns", "journal"))).toEqual(["2=b", "3=c", "4=d", "5=e"]);
    expect(values(await b.readLog("ns", "journal", 2))).toEqual(["4=d", "5=e"]);
    expect(await b.readLog("other", "journal")).toEqual([]);
    await a.appendLog("ns", "short", ["x"], 10, 50);
    await sleep(90);
    expect(await b.readLog("ns", "short")).toEqual([]);
  });

  it("reads many records in one call, in the order named", async () => {
    const [a, b] = await backend.open();
    await a.setFields("ns", "task:1", { task: "one" });
    await a.setFields("ns", "task:3", { task: "three", polls: "2" });
    expect(await b.getRecords("ns", ["task:3", "task:2", "task:1"])).toEqual([
      { task: "three", polls: "2" },
      undefined,
      { task: "one" },
    ]);
    expect(await b.getRecords("ns", [])).toEqual([]);
  });

  it("keeps an index by score, capped to the highest, that lives as long as its longest TTL", async () => {
    const [a, b] = await backend.open();
    expect(await a.readIndex("ns", "tasks:fal")).toEqual([]);
    await a.addToIndex("ns", "tasks:fal", "t3", 30, { cap: 3, ttlMs: 60_000 });
    await b.addToIndex("ns", "tasks:fal", "t1", 10, { cap: 3, ttlMs: 60_000 });
    await a.addToIndex("ns", "tasks:fal", "t2", 20, { cap: 3, ttlMs: 60_000 });
    await b.addToIndex("ns", "tasks:fal", "t1", 10, { cap: 3, ttlMs: 60_000 });
    expect(await b.readIndex("ns", "tasks:fal")).toEqual(["t1", "t2", "t3"]);
    // Past the cap the lowest-scored member goes; a tie is ordered by member.
    await a.addToIndex("ns", "tasks:fal", "t0", 30, { cap: 3, ttlMs: 60_000 });
    expect(await b.readIndex("ns", "tasks:fal")).toEqual(["t2", "t0", "t3"]);
    expect(await a.readIndex("ns", "tasks:fal", 2)).toEqual(["t0", "t3"]);
    await b.removeFromIndex("ns", "tasks:fal", ["t0", "missing"]);
    expect(await a.readIndex("ns", "tasks:fal")).toEqual(["t2", "t3"]);
    expect(await a.readIndex("other", "tasks:fal")).toEqual([]);
    // A member with a shorter life never shortens the index's; the longest one ends it.
    await a.addToIndex("ns", "short", "long-lived", 1, { cap: 10, ttlMs: 400 });
    await b.addToIndex("ns", "short", "short-lived", 2, { cap: 10, ttlMs: 50 });
    await sleep(150);
    expect(await a.readIndex("ns", "short")).toEqual(["long-lived", "short-lived"]);
    await sleep(300);
    expect(await b.readIndex("ns", "short")).toEqual([]);
  });

  it("grants a lease to exactly one of many claimants until it is released or lapses", async () => {
    const [a, b] = await backend.open();
    const wins = await Promise.all(
      Array.from({ length: 10 }, (_, i) => (i % 2 ? a : b).claim("ns", "fire:t1:DONE", `owner-${i}`, 1_000)),
    );
    expect(wins.filter(Boolean)).toHaveLength(1);
    const owner = `owner-${wins.indexOf(true)}`;
    await a.release("ns", "fire:t1:DONE", "someone-else");
    expect(await b.claim("ns", "fire:t1:DONE", "late", 1_000)).toBe(false);
    await b.release("ns", "fire:t1:DONE", owner);
    expect(await a.claim("ns", "fire:t1:DONE", "next", 50)).toBe(true);
    await sleep(80);
    expect(await b.claim("ns", "fire:t1:DONE", "after-expiry", 50)).toBe(true);
  });

  it("counts events in a sliding window on the callers' clock, up to its limit across replicas", async () => {
    const [a, b] = await backend.open();
    const event = (id: string, now: number) => ({ id, now, windowMs: 60_000, limit: 3, idleMs: 60_000 });
    const t0 = 5_000_000;
    const counts = await Promise.all(
      ["e1", "e2", "e3", "e4", "e5"].map((id, i) =>
        (i % 2 ? a : b).countInWindow("ns", "rate:k", event(id, t0 + i)),
      ),
    );
    expect(counts.filter((count) => count.counted)).toHaveLength(3);
    // Refused: not counted, and told when the oldest leaves the window.
    expect(await a.countInWindow("ns", "rate:k", event("e6", t0 + 30_000))).toEqual({
      counted: false,
      oldest: t0,
    });
    const counted = ["e1", "e2", "e3", "e4", "e5"].filter((_, i) => counts[i]!.counted);
    await b.uncountInWindow("ns", "rate:k", counted[1]!);
    expect((await a.countInWindow("ns", "rate:k", event("e7", t0 + 30_000))).counted).toBe(true);
    expect((await b.countInWindow("ns", "rate:other", event("x", t0 + 30_000))).counted).toBe(true);
    // The window slides with the time given, not with the store's clock.
    expect((await b.countInWindow("ns", "rate:k", event("e8", t0 + 59_999))).counted).toBe(false);
    expect((await b.countInWindow("ns", "rate:k", event("e9", t0 + 60_000 + 2))).counted).toBe(true);
    await a.countInWindow("ns", "rate:idle", { ...event("i1", t0), idleMs: 50 });
    await sleep(90);
    const fresh = { ...event("i2", t0), limit: 1 };
    expect((await b.countInWindow("ns", "rate:idle", fresh)).counted).toBe(true);
  });

  it("leases slots up to a limit, gives them back, renews them and lets a dead holder's lapse", async () => {
    const [a, b] = await backend.open();
    const takes = await Promise.all(
      [3, 3, 3, 3].map((count, i) =>
        (i % 2 ? a : b).takeSlots("ns", "slots", { holder: `h${i}`, count }, 10, 800),
      ),
    );
    expect(takes.filter(Boolean)).toHaveLength(3);
    expect(await a.takeSlots("ns", "slots", { holder: "big", count: 2 }, 10, 800)).toBe(false);
    const holders = takes.flatMap((taken, i) => (taken ? [{ holder: `h${i}`, count: 3 }] : []));
    await b.releaseSlots("ns", "slots", holders[0]!);
    expect(await a.takeSlots("ns", "slots", { holder: "h9", count: 3 }, 10, 800)).toBe(true);
    expect(await a.takeSlots("ns", "slots", { holder: "one", count: 1 }, 10, 800)).toBe(true);
    // holders[1] keeps renewing; holders[2], h9 and "one" stop (their replica died).
    for (let i = 0; i < 4; i++) {
      await sleep(350);
      await b.renewSlots("ns", "slots", [holders[1]!], 800);
    }
    expect(await a.takeSlots("ns", "slots", { holder: "after", count: 7 }, 10, 800)).toBe(true);
    expect(await a.takeSlots("ns", "slots", { holder: "over", count: 1 }, 10, 800)).toBe(false);
    // A lapsed lease is not brought back by a late renewal.
    await a.renewSlots("ns", "slots", [{ holder: "h9", count: 3 }], 800);
    await a.releaseSlots("ns", "slots", { holder: "after", count: 7 });
    expect(await b.takeSlots("ns", "slots", { holder: "last", count: 7 }, 10, 800)).toBe(true);
  });

  it("hands each due job to one taker, and again only when its taker never acknowledged it", async () => {
    const [a, b] = await backend.open();
    const now = 1_000_000;
    await a.schedule("job-late", now + 500, "late");
    await a.schedule("job-1", now - 10, "one");
    await b.schedule("job-2", now, "two");
    const [first, second] = await Promise.all([a.takeDue(now, 1_000), b.takeDue(now, 1_000)]);
    const taken = [...first, ...second];
    expect(taken.map((job) => job.payload).sort()).toEqual(["one", "two"]);
    expect(await a.takeDue(now + 100, 1_000)).toEqual([]);
    await a.ack("job-1");
    // job-2's taker "died": its lease lapses and it comes due again, beside job-late.
    const again = await b.takeDue(now + 1_000, 1_000);
    expect(again.map((job) => job.id).sort()).toEqual(["job-2", "job-late"]);
    await b.ack("job-2");
    await b.ack("job-late");
    expect(await a.takeDue(now + 10_000, 1_000)).toEqual([]);
  });

  it("clears one namespace only, even when its name looks like a pattern", async () => {
    const [a, b] = await backend.open();
    for (const ns of ["a*", "ab", "a?c"]) {
      await a.setFields(ns, "scenarios", { fal: "outage" });
      await a.incr(ns, "attempts");
      await a.putBlob(ns, "file", new Uint8Array([1, 2, 3]), 60_000);
    }
    await b.clearNamespace("a*");
    expect(await a.getRecord("a*", "scenarios")).toBeUndefined();
    expect(await a.getBlob("a*", "file")).toBeUndefined();
    expect(await a.incr("a*", "attempts")).toBe(1);
    expect(await a.getRecord("ab", "scenarios")).toEqual({ fal: "outage" });
    expect(await b.getBlob("a?c", "file")).toEqual(new Uint8Array([1, 2, 3]));
  });

  it("announces to every replica until one stops listening", async () => {
    const [a, b] = await backend.open();
    const heardA: string[] = [];
    const heardB: string[] = [];
    await a.subscribe("events", (message) => heardA.push(message));
    const stopB = await b.subscribe("events", (message) => heardB.push(message));
    await a.publish("events", "one");
    await until(() => heardA.length === 1 && heardB.length === 1);
    await stopB();
    await b.publish("events", "two");
    await until(() => heardA.length === 2);
    await sleep(30);
    expect(heardA).toEqual(["one", "two"]);
    expect(heardB).toEqual(["one"]);
  });
});

describe("redis store when Redis goes away", () => {
  it("fails each call with a clear error, then recovers when Redis returns", async () => {
    const own = await startRedis();
    const store = await RedisStateStore.open({ url: own.url });
    try {
      await store.setFields("ns", "r", { a: "1" });
      await own.kill();
      await expect(store.getRecord("ns", "r")).rejects.toBeInstanceOf(StoreUnavailableError);
      await expect(store.incr("ns", "c")).rejects.toThrow(/shared state store is unavailable/);
      await own.restart();
      await until(async () => (await store.incr("ns", "c").catch(() => 0)) > 0, 5_000);
      // Nothing was persisted: the restarted server starts empty.
      expect(await store.getRecord("ns", "r")).toBeUndefined();
    } finally {
      await store.close();
      await own.stop();
    }
  });

  it("refuses to open an unreachable or unknown store with a message saying which", async () => {
    await expect(openStateStore("redis://user:secret@127.0.0.1:1/0")).rejects.toThrow(
      /unavailable: redis:\/\/user:\*\*\*@127\.0\.0\.1:1\/0: connect ECONNREFUSED/,
    );
    await expect(openStateStore("postgres://x")).rejects.toThrow(/expected "memory" or a redis:\/\/ URL/);
    const memory = await openStateStore(undefined);
    expect(memory.kind).toBe("memory");
  });
});

async function until(check: () => boolean | Promise<boolean>, timeoutMs = 2_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error("Timed out waiting for the condition.");
    await sleep(10);
  }
}
