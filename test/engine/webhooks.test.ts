import { describe, expect, it, vi } from "vitest";
import { seededRandom } from "../../mocks/engine/faults.ts";
import {
  type EnqueueOptions,
  isLoopbackUrl,
  WebhookDispatcher,
  type WebhookSender,
} from "../../mocks/engine/webhooks.ts";
import { VirtualClock } from "../../src/core/clock.ts";

const hook = "http://127.0.0.1:9999/hook";
const stamp = (_delivery: unknown, at: number) => ({ "webhook-timestamp": String(at) });

function options(overrides: Partial<EnqueueOptions> = {}): EnqueueOptions {
  return {
    namespace: "ns",
    provider: "freepik",
    url: hook,
    taskId: "t1",
    event: "status",
    body: '{"status":"COMPLETED"}',
    signing: {},
    backoffMs: [1_000, 5_000],
    random: () => {
      throw new Error("random must not be read without chaos");
    },
    ...overrides,
  };
}

/** A sender answering from a script of statuses (or errors), recording each call. */
function scripted(script: Array<number | Error>) {
  const calls: Array<{ url: string; headers: Record<string, string>; body: string }> = [];
  const send: WebhookSender = async (url, init) => {
    calls.push({ url, ...init });
    const next = script.shift() ?? 500;
    if (next instanceof Error) throw next;
    return { status: next };
  };
  return { send, calls };
}

function setup(script: Array<number | Error>, extra: { maxDeliveries?: number } = {}) {
  const clock = new VirtualClock({ start: 0 });
  const { send, calls } = scripted(script);
  const dispatcher = new WebhookDispatcher({ clock, sign: stamp, send, ...extra });
  return { clock, dispatcher, calls };
}

describe("WebhookDispatcher", () => {
  it("delivers on a 2xx, with the signed headers and the raw body", async () => {
    const { clock, dispatcher, calls } = setup([204]);
    await clock.advance(1_000);
    const delivery = dispatcher.enqueue(options());
    expect(delivery.state).toBe("pending");
    expect(dispatcher.inFlight).toBe(1);
    expect(calls).toHaveLength(0);
    await clock.advance(0);
    expect(calls).toEqual([
      {
        url: hook,
        headers: { "content-type": "application/json", "webhook-timestamp": "1000" },
        body: '{"status":"COMPLETED"}',
      },
    ]);
    expect(delivery).toMatchObject({
      namespace: "ns",
      provider: "freepik",
      taskId: "t1",
      event: "status",
      state: "delivered",
      duplicates: 0,
      attempts: [{ at: 1_000, status: 204, durationMs: 0 }],
    });
    expect(delivery.note).toBeUndefined();
    expect(dispatcher.inFlight).toBe(0);
    expect(dispatcher.list()).toEqual([delivery]);
  });

  it("retries non-2xx answers after each backoff, signing each attempt at its own time", async () => {
    const { clock, dispatcher, calls } = setup([500, 302, 200]);
    const delivery = dispatcher.enqueue(options());
    await clock.advance(999);
    expect(delivery.attempts.map((a) => [a.at, a.status])).toEqual([[0, 500]]);
    expect(delivery.state).toBe("pending");
    await clock.advance(1);
    expect(delivery.attempts.map((a) => [a.at, a.status])).toEqual([
      [0, 500],
      [1_000, 302],
    ]);
    await clock.advance(4_999);
    expect(delivery.attempts).toHaveLength(2);
    await clock.advance(1);
    expect(delivery.attempts.map((a) => [a.at, a.status])).toEqual([
      [0, 500],
      [1_000, 302],
      [6_000, 200],
    ]);
    expect(calls.map((c) => c.headers["webhook-timestamp"])).toEqual(["0", "1000", "6000"]);
    expect(delivery.state).toBe("delivered");
    expect(dispatcher.inFlight).toBe(0);
  });

  it("retries thrown errors and records their messages", async () => {
    const { clock, dispatcher } = setup([new Error("connect ECONNREFUSED 127.0.0.1:9999"), 200]);
    const delivery = dispatcher.enqueue(options());
    await clock.runUntilIdle();
    expect(delivery.attempts).toEqual([
      { at: 0, error: "connect ECONNREFUSED 127.0.0.1:9999", durationMs: 0 },
      { at: 1_000, status: 200, durationMs: 0 },
    ]);
    expect(delivery.state).toBe("delivered");
  });

  it("gives up after the last backoff, with a note", async () => {
    const { clock, dispatcher, calls } = setup([500, new Error("boom"), 503, 200]);
    const delivery = dispatcher.enqueue(options());
    await clock.runUntilIdle();
    expect(calls).toHaveLength(3);
    expect(delivery.attempts.map((a) => a.at)).toEqual([0, 1_000, 6_000]);
    expect(delivery.state).toBe("gave-up");
    expect(delivery.note).toBe("No 2xx after 3 attempts.");
    expect(dispatcher.inFlight).toBe(0);
    expect(clock.now()).toBe(6_000);
  });

  it("an empty backoff means a single attempt", async () => {
    const { clock, dispatcher, calls } = setup([500]);
    const delivery = dispatcher.enqueue(options({ backoffMs: [] }));
    await clock.runUntilIdle();
    expect(calls).toHaveLength(1);
    expect(delivery.state).toBe("gave-up");
    expect(delivery.note).toBe("No 2xx after 1 attempts.");
  });

  it("measures each attempt's duration on the clock", async () => {
    const clock = new VirtualClock({ start: 0 });
    const send: WebhookSender = async () => {
      await clock.sleep(120);
      return { status: 200 };
    };
    const dispatcher = new WebhookDispatcher({ clock, sign: stamp, send });
    const delivery = dispatcher.enqueue(options());
    await clock.advance(119);
    expect(delivery.state).toBe("pending");
    await clock.advance(1);
    expect(delivery.attempts).toEqual([{ at: 0, status: 200, durationMs: 120 }]);
    expect(delivery.state).toBe("delivered");
  });

  it("refuses targets outside the policy without calling send", async () => {
    const { clock, dispatcher, calls } = setup([200, 200, 200, 200]);
    const refused = [
      "https://example.com/hook",
      "http://10.0.0.1/hook",
      "ftp://127.0.0.1/hook",
      "file:///etc/passwd",
      "not a url",
      "http://127.0.0.1.example.com/hook",
    ].map((url) => dispatcher.enqueue(options({ url })));
    await clock.runUntilIdle();
    expect(calls).toHaveLength(0);
    for (const delivery of refused) {
      expect(delivery.state).toBe("refused");
      expect(delivery.note).toBe(
        "The webhook URL is outside the delivery policy (loopback only by default); nothing was sent.",
      );
      expect(delivery.attempts).toEqual([]);
    }
    expect(dispatcher.inFlight).toBe(0);
  });

  it("contacts loopback targets by default and honours a custom policy", async () => {
    expect(
      ["http://localhost:1/x", "http://127.4.5.6/x", "http://[::1]:8080/x", "https://127.0.0.1/x"].map((u) =>
        isLoopbackUrl(new URL(u)),
      ),
    ).toEqual([true, true, true, true]);
    expect(["http://0.0.0.0/x", "http://192.168.1.1/x"].map((u) => isLoopbackUrl(new URL(u)))).toEqual([
      false,
      false,
    ]);
    const clock = new VirtualClock({ start: 0 });
    const { send, calls } = scripted([200, 200]);
    const dispatcher = new WebhookDispatcher({
      clock,
      send,
      allowUrl: (url) => url.hostname === "hooks.test",
    });
    const allowed = dispatcher.enqueue(options({ url: "https://hooks.test/in" }));
    const refused = dispatcher.enqueue(options({ url: hook }));
    await clock.runUntilIdle();
    expect(allowed.state).toBe("delivered");
    expect(refused.state).toBe("refused");
    expect(calls.map((c) => c.url)).toEqual(["https://hooks.test/in"]);
  });

  describe("chaos", () => {
    const sequence = (...values: number[]) => {
      const read = vi.fn(() => {
        const value = values.shift();
        if (value === undefined) throw new Error("random read too often");
        return value;
      });
      return read;
    };

    it("drops a delivery when the draw is under `drop`, without sending", async () => {
      const { clock, dispatcher, calls } = setup([200]);
      const delivery = dispatcher.enqueue(options({ chaos: { drop: 0.2 }, random: sequence(0.19) }));
      await clock.runUntilIdle();
      expect(delivery.state).toBe("dropped");
      expect(delivery.note).toBe("Dropped by the webhook-chaos scenario.");
      expect(calls).toHaveLength(0);
      expect(dispatcher.inFlight).toBe(0);
    });

    it("keeps a delivery when the draw is at or over `drop`", async () => {
      const { clock, dispatcher } = setup([200]);
      const delivery = dispatcher.enqueue(options({ chaos: { drop: 0.2 }, random: sequence(0.2) }));
      await clock.runUntilIdle();
      expect(delivery.state).toBe("delivered");
    });

    it("delays the first attempt by floor(draw × delayMs), which reorders deliveries", async () => {
      const { clock, dispatcher, calls } = setup([200, 200]);
      const first = dispatcher.enqueue(
        options({ taskId: "first", body: "1", chaos: { delayMs: 5_000 }, random: sequence(0.6) }),
      );
      const second = dispatcher.enqueue(
        options({ taskId: "second", body: "2", chaos: { delayMs: 5_000 }, random: sequence(0.2) }),
      );
      await clock.runUntilIdle();
      expect(calls.map((c) => c.body)).toEqual(["2", "1"]);
      expect(first.attempts[0]!.at).toBe(3_000);
      expect(second.attempts[0]!.at).toBe(1_000);
    });

    it("duplicates a delivery when the draw is under `duplicate`: both copies are sent and recorded", async () => {
      const { clock, dispatcher, calls } = setup([200, 200]);
      const delivery = dispatcher.enqueue(options({ chaos: { duplicate: 0.3 }, random: sequence(0.29) }));
      expect(delivery.duplicates).toBe(1);
      await clock.runUntilIdle();
      expect(calls).toHaveLength(2);
      expect(calls[0]).toEqual(calls[1]);
      expect(delivery.attempts).toEqual([
        { at: 0, status: 200, durationMs: 0 },
        { at: 0, status: 200, durationMs: 0 },
      ]);
      expect(delivery.state).toBe("delivered");
    });

    it("reads the draws in order drop, delay, duplicate", async () => {
      const { clock, dispatcher, calls } = setup([200, 200]);
      const random = sequence(0.5, 0.25, 0.1);
      const delivery = dispatcher.enqueue(
        options({ chaos: { drop: 0.2, delayMs: 4_000, duplicate: 0.3 }, random }),
      );
      expect(random).toHaveBeenCalledTimes(3);
      await clock.runUntilIdle();
      expect(calls).toHaveLength(2);
      expect(delivery.attempts.map((a) => a.at)).toEqual([1_000, 1_000]);
      expect(delivery.duplicates).toBe(1);
    });

    it("a duplicated delivery that fails is retried once per backoff, not twice", async () => {
      const { clock, dispatcher, calls } = setup([500, 500, 200]);
      const delivery = dispatcher.enqueue(options({ chaos: { duplicate: 1 }, random: sequence(0) }));
      await clock.runUntilIdle();
      expect(calls).toHaveLength(3);
      expect(delivery.attempts.map((a) => [a.at, a.status])).toEqual([
        [0, 500],
        [0, 500],
        [1_000, 200],
      ]);
      expect(delivery.state).toBe("delivered");
    });

    it("is reproducible from a seed and matches the configured rates", async () => {
      const run = async (seed: number) => {
        const clock = new VirtualClock({ start: 0 });
        const dispatcher = new WebhookDispatcher({ clock, sign: stamp, send: async () => ({ status: 200 }) });
        const random = seededRandom(seed);
        const deliveries = Array.from({ length: 2_000 }, (_, i) =>
          dispatcher.enqueue(
            options({ taskId: `t${i}`, chaos: { drop: 0.2, duplicate: 0.3, delayMs: 5_000 }, random }),
          ),
        );
        await clock.runUntilIdle();
        return deliveries.map((d) => [d.state, d.duplicates, d.attempts[0]?.at ?? -1] as const);
      };
      const a = await run(99);
      expect(await run(99)).toEqual(a);
      expect(await run(100)).not.toEqual(a);
      const dropped = a.filter(([state]) => state === "dropped").length;
      const sent = a.filter(([state]) => state === "delivered");
      const duplicated = sent.filter(([, duplicates]) => duplicates === 1).length;
      expect(dropped + sent.length).toBe(2_000);
      expect(Math.abs(dropped / 2_000 - 0.2)).toBeLessThan(0.03);
      expect(Math.abs(duplicated / sent.length - 0.3)).toBeLessThan(0.04);
      const delays = sent.map(([, , at]) => at);
      expect(Math.min(...delays)).toBeGreaterThanOrEqual(0);
      expect(Math.max(...delays)).toBeLessThan(5_000);
    });
  });

  describe("inFlight and the bounded list", () => {
    function held() {
      const waiting: Array<(status: number) => void> = [];
      const send: WebhookSender = () =>
        new Promise((resolve) => {
          waiting.push((status) => resolve({ status }));
        });
      return { send, waiting };
    }

    it("counts deliveries waiting for an attempt or a retry", async () => {
      const clock = new VirtualClock({ start: 0 });
      const { send, waiting } = held();
      const dispatcher = new WebhookDispatcher({ clock, sign: stamp, send });
      dispatcher.enqueue(options({ taskId: "a" }));
      dispatcher.enqueue(options({ taskId: "b" }));
      dispatcher.enqueue(options({ taskId: "refused", url: "https://example.com/" }));
      expect(dispatcher.inFlight).toBe(2);
      await clock.advance(0);
      expect(waiting).toHaveLength(2);
      waiting.shift()!(200);
      await clock.advance(0);
      expect(dispatcher.inFlight).toBe(1);
      waiting.shift()!(500);
      await clock.advance(0);
      // Waiting for its retry still counts.
      expect(dispatcher.inFlight).toBe(1);
      await clock.advance(1_000);
      waiting.shift()!(200);
      await clock.advance(0);
      expect(dispatcher.inFlight).toBe(0);
    });

    it("keeps only the newest maxDeliveries finished deliveries", () => {
      const { dispatcher } = setup([], { maxDeliveries: 3 });
      for (let i = 1; i <= 5; i++) dispatcher.enqueue(options({ taskId: `t${i}`, url: "https://x.test/" }));
      expect(dispatcher.list().map((d) => d.taskId)).toEqual(["t3", "t4", "t5"]);
    });

    it("never forgets a pending delivery", async () => {
      const clock = new VirtualClock({ start: 0 });
      const { send } = held();
      const dispatcher = new WebhookDispatcher({ clock, sign: stamp, send, maxDeliveries: 2 });
      for (let i = 1; i <= 4; i++) dispatcher.enqueue(options({ taskId: `t${i}` }));
      expect(dispatcher.list().map((d) => d.taskId)).toEqual(["t1", "t2", "t3", "t4"]);
    });

    it("shrinks back to maxDeliveries once the pending deliveries settled", async () => {
      const clock = new VirtualClock({ start: 0 });
      const { send, waiting } = held();
      const dispatcher = new WebhookDispatcher({ clock, sign: stamp, send, maxDeliveries: 2 });
      for (let i = 1; i <= 4; i++) dispatcher.enqueue(options({ taskId: `t${i}` }));
      await clock.advance(0);
      for (const resolve of waiting.splice(0)) resolve(200);
      await clock.advance(0);
      expect(dispatcher.inFlight).toBe(0);
      dispatcher.enqueue(options({ taskId: "t5", url: "https://x.test/" }));
      expect(dispatcher.list().map((d) => d.taskId)).toEqual(["t4", "t5"]);
    });

    it("filters by namespace, provider and task; clearNamespace keeps pending deliveries", async () => {
      const clock = new VirtualClock({ start: 0 });
      const { send, waiting } = held();
      const dispatcher = new WebhookDispatcher({ clock, sign: stamp, send });
      const refused = { url: "https://x.test/" };
      dispatcher.enqueue(options({ namespace: "a", provider: "fal", taskId: "1", ...refused }));
      dispatcher.enqueue(options({ namespace: "a", provider: "freepik", taskId: "2", ...refused }));
      dispatcher.enqueue(options({ namespace: "b", provider: "fal", taskId: "3", ...refused }));
      dispatcher.enqueue(options({ namespace: "a", provider: "fal", taskId: "4" }));
      expect(dispatcher.list({ namespace: "a" }).map((d) => d.taskId)).toEqual(["1", "2", "4"]);
      expect(dispatcher.list({ provider: "fal" }).map((d) => d.taskId)).toEqual(["1", "3", "4"]);
      expect(dispatcher.list({ namespace: "a", provider: "fal", taskId: "4" }).map((d) => d.taskId)).toEqual([
        "4",
      ]);
      dispatcher.clearNamespace("a");
      expect(dispatcher.list().map((d) => d.taskId)).toEqual(["3", "4"]);
      await clock.advance(0);
      waiting.shift()!(200);
      await clock.advance(0);
      dispatcher.clearNamespace("a");
      expect(dispatcher.list().map((d) => d.taskId)).toEqual(["3"]);
    });
  });
});
