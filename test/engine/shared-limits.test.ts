/**
 * Provider limits the engine enforces, counted across two simulators (replicas) on one state
 * store: a route's requests per window and the slots its handler takes. Runs on the in-memory
 * store and on a redis-server started here. A tiny provider (under an existing id) declares
 * them, so the engine is tested without any real provider's rules.
 */
import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import type { ProviderDefinition } from "../../mocks/engine/provider.ts";
import { json, type SimRequest } from "../../mocks/engine/sim-http.ts";
import { Simulator } from "../../mocks/engine/simulator.ts";
import { MemoryStateStore } from "../../mocks/engine/store/memory-store.ts";
import { VirtualClock } from "../../src/core/clock.ts";
import { useStorePairs } from "../helpers/store-pairs.ts";

const { stores, closers } = useStorePairs();

/** Called by the slot route once it holds its slots (so a test knows the work is in flight). */
let onTaken: () => void = () => {};

const tiny: ProviderDefinition = {
  id: "freepik",
  hosts: { api: "https://api.limits.invalid" },
  routes: [
    {
      host: "api",
      method: "POST",
      path: "/counted",
      operation: "counted",
      phase: "submit",
      rateLimit: (req) => ({
        key: req.headers["x-key"] ?? "",
        limit: 3,
        windowMs: 60_000,
        refuse: (retryAfter) => json(429, { error: "slow down" }, { "retry-after": String(retryAfter) }),
      }),
      handle: () => json(200, { ok: true }),
    },
    {
      host: "api",
      method: "POST",
      path: "/slots",
      operation: "slots",
      phase: "submit",
      async handle(ctx) {
        const slots = await ctx.takeSlots("work", Number(ctx.req.query.get("n")), 4);
        if (!slots) return json(429, { error: "busy" });
        try {
          onTaken();
          await ctx.ns.clock.sleep(10_000);
          return json(200, { ok: true });
        } finally {
          slots.release();
        }
      },
    },
  ],
  authenticate: (req) => (req.headers["x-key"] === "" ? json(401, { error: "no key" }) : undefined),
  faultResponse: () => json(503, { error: "down" }),
  notFound: () => json(404, { error: "not found" }),
};

function send(sim: Simulator, namespace: string, path: string, headers: Record<string, string> = {}) {
  const [pathname, search] = path.split("?");
  const req: SimRequest = {
    method: "POST",
    path: pathname!,
    query: new URLSearchParams(search),
    headers: { "x-key": "k1", ...headers },
    body: new Uint8Array(),
  };
  return sim.handle({
    provider: "freepik",
    host: "api",
    req,
    namespace,
    url: (_host, p) => `http://127.0.0.1${p}`,
    resolveOwn: () => undefined,
  });
}

/** The slot route, resolving once the request holds its slots or was answered without them. */
function taking(sim: Simulator, namespace: string, n: number) {
  const taken = new Promise<void>((resolve) => {
    onTaken = resolve;
  });
  const answer = send(sim, namespace, `/slots?n=${n}`);
  return { answer, started: Promise.race([taken, answer]) };
}

describe.each(stores)("provider limits on two simulators sharing one $name store", ({ open }) => {
  async function pair(slotLeaseMs?: number): Promise<[Simulator, Simulator]> {
    const sims = (await open()).map(
      (store) =>
        new Simulator([tiny], {
          store,
          latency: "none",
          clock: new VirtualClock({ start: Date.UTC(2026, 0, 1) }),
          ...(slotLeaseMs ? { slotLeaseMs } : {}),
        }),
    );
    for (const sim of sims) closers.push(() => sim.close());
    return sims as [Simulator, Simulator];
  }

  const advance = async (sims: Simulator[], ns: string, ms: number) => {
    for (const sim of sims) await (sim.namespace(ns).clock as VirtualClock).advance(ms);
  };

  it("count a route's requests per window together, per key, on the namespace clock", async () => {
    const [a, b] = await pair();
    const ns = `rate-${randomUUID()}`;
    const statuses = [];
    for (const sim of [a, b, a, b]) statuses.push((await send(sim, ns, "/counted")).status);
    expect(statuses).toEqual([200, 200, 200, 429]);
    await advance([a, b], ns, 30_000);
    const refused = await send(a, ns, "/counted");
    expect(refused.status).toBe(429);
    expect(refused.headers["retry-after"]).toBe("30");
    expect((await send(b, ns, "/counted", { "x-key": "k2" })).status).toBe(200);
    // A minute after the first three on the namespace clock, there is room again.
    await advance([a, b], ns, 30_000);
    expect((await send(b, ns, "/counted")).status).toBe(200);
  });

  it("do not count a request answered before its handler (a fault, refused credentials)", async () => {
    const [a, b] = await pair();
    const ns = `uncounted-${randomUUID()}`;
    expect((await send(a, ns, "/counted", { "x-mock-scenario": "outage" })).status).toBe(503);
    expect((await send(b, ns, "/counted", { "x-key": "" })).status).toBe(401);
    const statuses = [];
    for (const sim of [b, a, b, a]) statuses.push((await send(sim, ns, "/counted")).status);
    expect(statuses).toEqual([200, 200, 200, 429]);
  });

  it("hold slots together and give them back with the answer", async () => {
    const [a, b] = await pair();
    const ns = `slots-${randomUUID()}`;
    const first = taking(a, ns, 3);
    await first.started;
    expect((await send(b, ns, "/slots?n=2")).status).toBe(429);
    const second = taking(b, ns, 1);
    await second.started;
    expect((await send(a, ns, "/slots?n=1")).status).toBe(429);
    await advance([a, b], ns, 10_000);
    expect([(await first.answer).status, (await second.answer).status]).toEqual([200, 200]);
    const all = taking(b, ns, 4);
    await all.started;
    await advance([b], ns, 10_000);
    expect((await all.answer).status).toBe(200);
  });

  it("keep renewing the slots they hold, while a stopped replica's lapse after one lease", async () => {
    const [a, b] = await pair(1_000);
    const ns = `lease-${randomUUID()}`;
    const held = taking(a, ns, 2);
    await held.started;
    const lost = taking(b, ns, 2);
    await lost.started;
    // b stops renewing (as a replica that died would): its slots lapse, a's stay taken.
    await b.close();
    expect((await send(a, ns, "/slots?n=1")).status).toBe(429);
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    expect((await send(a, ns, "/slots?n=3")).status).toBe(429);
    const after = taking(a, ns, 2);
    await after.started;
    expect((await send(a, ns, "/slots?n=1")).status).toBe(429);
    await advance([a, b], ns, 10_000);
    expect((await Promise.all([held.answer, after.answer, lost.answer])).map((r) => r.status)).toEqual([
      200, 200, 200,
    ]);
  });
});

describe("a provider limit whose store fails after the handler", () => {
  it("leaves the answer as it is: the slots' lease lapses by itself", async () => {
    const store = new MemoryStateStore();
    store.releaseSlots = () => Promise.reject(new Error("store away"));
    const clock = new VirtualClock({ start: Date.UTC(2026, 0, 1) });
    const sim = new Simulator([tiny], { store, latency: "none", clock });
    closers.push(() => sim.close());
    const ns = `release-${randomUUID()}`;
    const held = taking(sim, ns, 2);
    await held.started;
    await (sim.namespace(ns).clock as VirtualClock).advance(10_000);
    expect((await held.answer).status).toBe(200);
  });
});
