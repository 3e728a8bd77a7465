/**
 * Webhook deliveries among two simulators on one state store (in memory, and on a redis-server
 * started here): each attempt is a job either may take, so a retry is sent by the other when the
 * one that made the first attempt is gone, signed there with the shared secret; every simulator
 * lists every delivery with its attempts; one that dies mid-attempt hands the attempt on after
 * the job's lease (the receiver then sees it twice).
 */
import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { DueJobs } from "../../mocks/engine/due-jobs.ts";
import { listSharedDeliveries, SharedWebhooks } from "../../mocks/engine/shared-webhooks.ts";
import { MemoryStateStore } from "../../mocks/engine/store/memory-store.ts";
import { type StateStore, StoreUnavailableError } from "../../mocks/engine/store/state-store.ts";
import type { EnqueueOptions, WebhookSender } from "../../mocks/engine/webhooks.ts";
import { freepikSignature } from "../../mocks/providers/freepik/signature.ts";
import { createSimulator, type Simulator } from "../../mocks/simulator.ts";
import { VirtualClock } from "../../src/core/clock.ts";
import { useStorePairs } from "../helpers/store-pairs.ts";

const { stores, closers } = useStorePairs();
const hook = "http://127.0.0.1:9/hook";

interface Sent {
  by: number;
  headers: Record<string, string>;
  body: string;
}

/**
 * Two simulators on `pair`, sending through `answer` (which learns who sent what); `virtual`
 * gives each a virtual clock that moves only when told.
 */
async function replicas(
  pair: [StateStore, StateStore],
  answer: (sent: Sent, n: number) => Promise<number> | number = () => 200,
  virtual = false,
) {
  const sent: Sent[] = [];
  const sims = pair.map((store, by) => {
    const webhookSender: WebhookSender = async (_url, init) => {
      const entry = { by, ...init };
      sent.push(entry);
      return { status: await answer(entry, sent.length - 1) };
    };
    const clock = virtual ? { clock: new VirtualClock({ start: Date.UTC(2026, 0, 1) }) } : {};
    return createSimulator({ latency: "none", store, allowWebhookUrl: () => true, webhookSender, ...clock });
  }) as [Simulator, Simulator];
  for (const sim of sims) closers.push(() => sim.close());
  await Promise.all(sims.map((sim) => sim.ready()));
  return { sims, sent };
}

function enqueue(sim: Simulator, namespace: string, overrides: Partial<EnqueueOptions> = {}) {
  const ns = sim.namespace(namespace);
  return ns.webhooks.enqueue({
    namespace,
    provider: "freepik",
    url: hook,
    taskId: "t1",
    event: "COMPLETED",
    body: '{"task_id":"t1","status":"COMPLETED"}',
    signing: { webhookId: "msg_1" },
    backoffMs: [50, 50],
    random: ns.random,
    ...overrides,
  });
}

const listed = listSharedDeliveries;

describe.each(stores)("webhook deliveries on one $name store", ({ open }) => {
  it("have their retry sent by the other simulator once the first one is gone", async () => {
    const pair = await open();
    const { sims, sent } = await replicas(pair, (_sent, n) => (n === 0 ? 500 : 200));
    const ns = `r-${randomUUID()}`;
    enqueue(sims[0], ns);
    // Whichever took the first attempt stops (its due jobs stay in the store).
    await expect.poll(async () => (await listed(pair[1], ns))[0]?.attempts.length).toBe(1);
    const first = sent[0]!.by;
    await sims[first]!.close();
    await expect.poll(async () => (await listed(pair[1], ns))[0]?.state).toBe("delivered");
    expect(sent.map((s) => s.by)).toEqual([first, 1 - first]);
    const [delivery] = await listed(pair[first]!, ns);
    expect(delivery!.attempts.map((a) => a.status)).toEqual([500, 200]);
    const [made, retried] = delivery!.attempts.map((a) => a.replica);
    expect(made).toMatch(/^[0-9a-f]{8}$/);
    expect(retried).toMatch(/^[0-9a-f]{8}$/);
    expect(retried).not.toBe(made);
    // Each attempt is signed where it is sent, with the secret both simulators share.
    expect(sims[0].services.webhookSecret).toBe(sims[1].services.webhookSecret);
    for (const { headers, body } of sent) {
      expect(headers["webhook-id"]).toBe("msg_1");
      const timestamp = Number(headers["webhook-timestamp"]);
      expect(headers["webhook-signature"]).toBe(
        freepikSignature(sims[0].services.webhookSecret, "msg_1", timestamp, body),
      );
    }
  });

  it("give up once the backoff is spent, and are listed by either simulator with their attempts", async () => {
    const pair = await open();
    const { sims, sent } = await replicas(pair, () => 500);
    const ns = `g-${randomUUID()}`;
    enqueue(sims[0], ns, { backoffMs: [20] });
    await expect.poll(async () => (await listed(pair[0], ns))[0]?.state).toBe("gave-up");
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(sent).toHaveLength(2);
    for (const store of pair) {
      const [delivery] = await listed(store, ns);
      expect(delivery).toMatchObject({ taskId: "t1", note: "No 2xx after 2 attempts." });
      expect(delivery!.attempts.map((a) => a.status)).toEqual([500, 500]);
    }
  });

  it("keep the chaos: duplicates go in one attempt, drops and refusals are listed and never sent", async () => {
    const pair = await open();
    const { sims, sent } = await replicas(pair);
    const ns = `c-${randomUUID()}`;
    enqueue(sims[0], ns, { taskId: "dup", chaos: { duplicate: 1 }, random: () => 0 });
    enqueue(sims[1], ns, { taskId: "drop", chaos: { drop: 1 }, random: () => 0 });
    enqueue(sims[1], ns, { taskId: "refused", url: "ftp://127.0.0.1/hook" });
    await expect
      .poll(async () => (await listed(pair[0], ns)).map((d) => `${d.taskId}:${d.state}`).sort())
      .toEqual(["drop:dropped", "dup:delivered", "refused:refused"]);
    const duplicated = (await listed(pair[1], ns)).find((d) => d.taskId === "dup")!;
    expect(duplicated.duplicates).toBe(1);
    expect(duplicated.attempts.map((a) => a.status)).toEqual([200, 200]);
    expect(new Set(duplicated.attempts.map((a) => a.replica)).size).toBe(1);
    expect(sent).toHaveLength(2);
  });

  it("are sent on the namespace's shared clock by a simulator that never served it", async () => {
    const pair = await open();
    const { sims, sent } = await replicas(pair, () => 200, true);
    const [a] = sims;
    const ns = `v-${randomUUID()}`;
    // An hour ahead on a's virtual clock: the delivery falls due then, not on the wall clock.
    const here = await a.synced(ns);
    await (here.clock as VirtualClock).advance(3_600_000);
    await a.shared!.clock.moved(here);
    await a.close();
    enqueue(a, ns);
    await expect.poll(() => sent.map((s) => s.by), { timeout: 3_000 }).toEqual([1]);
  });

  it("follow on the enqueuing simulator's own list when it makes the attempts", async () => {
    const pair = await open();
    const { sims } = await replicas(pair);
    await sims[1].close();
    const ns = `l-${randomUUID()}`;
    const delivery = enqueue(sims[0], ns);
    await expect.poll(() => delivery.state).toBe("delivered");
    expect(sims[0].namespace(ns).webhooks.list()).toEqual([delivery]);
    expect(sims[0].namespace(ns).webhooks.inFlight).toBe(0);
  });
});

describe("a simulator that dies mid-attempt (redis)", () => {
  it("hands the attempt to the other after the job's lease: sent twice, delivered once", async () => {
    const pair = await stores.find((s) => s.name === "redis")!.open();
    let release: () => void = () => {};
    const hung = new Promise<void>((resolve) => {
      release = resolve;
    });
    const { sims, sent } = await replicas(pair, async (_sent, n) => {
      if (n === 0) await hung;
      return 200;
    });
    const ns = `d-${randomUUID()}`;
    enqueue(sims[0], ns);
    await expect.poll(() => sent.length).toBe(1);
    const dying = sent[0]!.by;
    // Its connection gone, it can neither renew the lease nor write what happened.
    await pair[dying]!.close();
    await expect.poll(() => sent.length, { timeout: 9_000 }).toBe(2);
    expect(sent[1]!.by).toBe(1 - dying);
    expect(sent[1]!.headers["webhook-id"]).toBe(sent[0]!.headers["webhook-id"]);
    await expect.poll(async () => (await listed(pair[1 - dying]!, ns))[0]?.state).toBe("delivered");
    release();
  }, 20_000);
});

describe("a shared delivery whose namespace cannot be read", () => {
  it("leaves no pending record behind without a job to settle it", async () => {
    const store = new MemoryStateStore();
    const webhooks = new SharedWebhooks(store, new DueJobs(store), {
      replica: "r1",
      events: {
        synced: async () => {
          throw new StoreUnavailableError("connection lost");
        },
      },
    });
    const { id, namespace } = { id: "d1", namespace: "ns-unread" };
    const body = '{"task_id":"t1","status":"COMPLETED"}';
    webhooks.add(
      {
        id,
        namespace,
        provider: "freepik",
        url: hook,
        taskId: "t1",
        event: "COMPLETED",
        body,
        state: "pending",
        attempts: [],
        duplicates: 0,
      },
      { signing: { webhookId: "msg_1" }, backoffMs: [1_000], copies: 1, dueAt: Date.now() },
    );
    await webhooks.stop();
    expect(await listSharedDeliveries(store, namespace)).toEqual([]);
    expect(await store.takeDue(Date.now() + 60_000, 10)).toEqual([]);
  });
});
