import { afterEach, describe, expect, it, vi } from "vitest";
import { RealClock, VirtualClock } from "../../src/core/clock.ts";

const start = Date.UTC(2026, 0, 1);
const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

describe("VirtualClock", () => {
  it("starts at a fixed date unless told otherwise", () => {
    expect(new VirtualClock().now()).toBe(start);
    expect(new VirtualClock({ start: 1_000 }).now()).toBe(1_000);
  });

  it("advance fires due timers in due order, ties in creation order, and stops at the target", async () => {
    const clock = new VirtualClock({ start: 0 });
    const fired: Array<[string, number]> = [];
    const note = (name: string) => () => fired.push([name, clock.now()]);
    clock.schedule(300, note("c"));
    clock.schedule(100, note("a1"));
    clock.schedule(200, note("b"));
    clock.schedule(100, note("a2"));
    clock.schedule(0, note("zero"));
    clock.schedule(-50, note("negative"));
    clock.schedule(301, note("late"));

    await clock.advance(300);
    expect(fired).toEqual([
      ["zero", 0],
      ["negative", 0],
      ["a1", 100],
      ["a2", 100],
      ["b", 200],
      ["c", 300],
    ]);
    expect(clock.now()).toBe(300);
    expect(clock.pending).toBe(1);

    await clock.advance(1);
    expect(fired.at(-1)).toEqual(["late", 301]);
    expect(clock.pending).toBe(0);
  });

  it("advance sets now to the target even without timers, and ignores negative amounts", async () => {
    const clock = new VirtualClock({ start: 10 });
    await clock.advance(990);
    expect(clock.now()).toBe(1_000);
    await clock.advance(-500);
    expect(clock.now()).toBe(1_000);
  });

  it("advance fires timers created by timers when they fall inside the window", async () => {
    const clock = new VirtualClock({ start: 0 });
    const fired: number[] = [];
    clock.schedule(100, () => {
      fired.push(clock.now());
      clock.schedule(50, () => fired.push(clock.now()));
      clock.schedule(500, () => fired.push(clock.now()));
    });
    await clock.advance(200);
    expect(fired).toEqual([100, 150]);
    expect(clock.pending).toBe(1);
  });

  it("a cancelled timer never fires; cancelling twice is harmless", async () => {
    const clock = new VirtualClock({ start: 0 });
    const fn = vi.fn();
    const cancel = clock.schedule(10, fn);
    const keep = vi.fn();
    clock.schedule(10, keep);
    cancel();
    cancel();
    expect(clock.pending).toBe(1);
    await clock.advance(10);
    expect(fn).not.toHaveBeenCalled();
    expect(keep).toHaveBeenCalledTimes(1);
  });

  it("awaiting code between timers runs before the next timer fires", async () => {
    const clock = new VirtualClock({ start: 0 });
    const steps: string[] = [];
    const flow = (async () => {
      await clock.sleep(100);
      steps.push(`woke@${clock.now()}`);
      await clock.sleep(100);
      steps.push(`woke@${clock.now()}`);
    })();
    await clock.advance(1_000);
    await flow;
    expect(steps).toEqual(["woke@100", "woke@200"]);
    expect(clock.now()).toBe(1_000);
  });

  it("runUntilIdle fires everything, including timers created by timers, at their own times", async () => {
    const clock = new VirtualClock({ start: 0 });
    const fired: number[] = [];
    let left = 3;
    const tick = () => {
      fired.push(clock.now());
      if (--left > 0) clock.schedule(1_000, tick);
    };
    clock.schedule(500, tick);
    clock.schedule(10_000, () => fired.push(clock.now()));
    await clock.runUntilIdle();
    expect(fired).toEqual([500, 1_500, 2_500, 10_000]);
    expect(clock.now()).toBe(10_000);
    expect(clock.pending).toBe(0);
  });

  it("runUntilIdle runs chains of sleeps to completion", async () => {
    const clock = new VirtualClock({ start: 0 });
    let done = false;
    const flow = (async () => {
      for (let i = 0; i < 5; i++) await clock.sleep(60_000);
      done = true;
    })();
    await clock.runUntilIdle();
    await flow;
    expect(done).toBe(true);
    expect(clock.now()).toBe(300_000);
  });

  it("runUntilIdle refuses to run forever: it throws after maxTimers and names the fix", async () => {
    const clock = new VirtualClock({ start: 0 });
    let count = 0;
    const again = () => {
      count++;
      clock.schedule(1, again);
    };
    clock.schedule(1, again);
    await expect(clock.runUntilIdle(5)).rejects.toThrow(
      "Failed to reach idle: more than 5 timers fired. Something reschedules itself forever; advance() a bounded time instead.",
    );
    expect(count).toBe(5);
    expect(clock.now()).toBe(5);
  });

  it("runUntilIdle with exactly maxTimers timers does not throw", async () => {
    const clock = new VirtualClock({ start: 0 });
    for (let i = 1; i <= 3; i++) clock.schedule(i, () => {});
    await expect(clock.runUntilIdle(3)).resolves.toBeUndefined();
  });

  it("sleep with an already aborted signal rejects with its reason and schedules nothing", async () => {
    const clock = new VirtualClock({ start: 0 });
    const reason = new Error("gave up");
    await expect(clock.sleep(100, AbortSignal.abort(reason))).rejects.toBe(reason);
    expect(clock.pending).toBe(0);
  });

  it("sleep aborted later rejects with the reason and cancels its timer", async () => {
    const clock = new VirtualClock({ start: 0 });
    const controller = new AbortController();
    const slept = clock.sleep(1_000, controller.signal);
    expect(clock.pending).toBe(1);
    await clock.advance(400);
    const reason = new Error("stop");
    controller.abort(reason);
    await expect(slept).rejects.toBe(reason);
    expect(clock.pending).toBe(0);
  });

  it("sleep aborted without a reason rejects with an AbortError", async () => {
    const clock = new VirtualClock({ start: 0 });
    const controller = new AbortController();
    const slept = clock.sleep(1_000, controller.signal);
    controller.abort();
    const error = await slept.catch((e: unknown) => e);
    expect((error as DOMException).name).toBe("AbortError");
  });

  it("a sleep that finished is not affected by a later abort", async () => {
    const clock = new VirtualClock({ start: 0 });
    const controller = new AbortController();
    const slept = clock.sleep(100, controller.signal);
    await clock.advance(100);
    await expect(slept).resolves.toBeUndefined();
    controller.abort(new Error("late"));
    expect(clock.pending).toBe(0);
  });

  describe("autoAdvance", () => {
    it("is off by default: a sleep never resolves on its own", async () => {
      const clock = new VirtualClock({ start: 0 });
      expect(clock.autoAdvance).toBe(false);
      let woke = false;
      void clock.sleep(1_000).then(() => {
        woke = true;
      });
      for (let i = 0; i < 5; i++) await nextTurn();
      expect(woke).toBe(false);
      expect(clock.now()).toBe(0);
    });

    it("jumps to the next timer only after the current turn, one timer per idle turn", async () => {
      const clock = new VirtualClock({ start: 0, autoAdvance: true });
      expect(clock.autoAdvance).toBe(true);
      const fired: number[] = [];
      clock.schedule(100, () => fired.push(clock.now()));
      clock.schedule(200, () => fired.push(clock.now()));
      // Nothing moves while this turn (and its microtasks) still runs.
      for (let i = 0; i < 20; i++) await Promise.resolve();
      expect(clock.now()).toBe(0);
      expect(fired).toEqual([]);
      await nextTurn();
      expect(fired).toEqual([100]);
      expect(clock.now()).toBe(100);
      await nextTurn();
      expect(fired).toEqual([100, 200]);
      expect(clock.now()).toBe(200);
    });

    it("lets awaited sleeps run to completion without advance()", async () => {
      const clock = new VirtualClock({ start: 0, autoAdvance: true });
      const wokeAt: number[] = [];
      for (const ms of [60_000, 5_000, 120_000]) {
        await clock.sleep(ms);
        wokeAt.push(clock.now());
      }
      expect(wokeAt).toEqual([60_000, 65_000, 185_000]);
    });

    it("does not fire a cancelled timer", async () => {
      const clock = new VirtualClock({ start: 0, autoAdvance: true });
      const fn = vi.fn();
      const cancel = clock.schedule(100, fn);
      cancel();
      await nextTurn();
      await nextTurn();
      expect(fn).not.toHaveBeenCalled();
      expect(clock.now()).toBe(0);
    });
  });
});

describe("RealClock", () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it("reads Date.now and setTimeout at call time, so fake timers drive it", async () => {
    vi.useFakeTimers({ now: 5_000 });
    const clock = new RealClock();
    expect(clock.now()).toBe(5_000);
    let woke = false;
    const slept = clock.sleep(1_000).then(() => {
      woke = true;
    });
    await vi.advanceTimersByTimeAsync(999);
    expect(woke).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    await slept;
    expect(woke).toBe(true);
    expect(clock.now()).toBe(6_000);
  });

  it("schedule returns a cancel function", async () => {
    vi.useFakeTimers({ now: 0 });
    const clock = new RealClock();
    const cancelled = vi.fn();
    const kept = vi.fn();
    const cancel = clock.schedule(100, cancelled);
    clock.schedule(100, kept);
    clock.schedule(-10, kept);
    cancel();
    await vi.advanceTimersByTimeAsync(100);
    expect(cancelled).not.toHaveBeenCalled();
    expect(kept).toHaveBeenCalledTimes(2);
  });

  it("sleep rejects with the abort reason, before and during the wait", async () => {
    vi.useFakeTimers({ now: 0 });
    const clock = new RealClock();
    const early = new Error("early");
    await expect(clock.sleep(10, AbortSignal.abort(early))).rejects.toBe(early);
    const controller = new AbortController();
    const slept = clock.sleep(1_000, controller.signal);
    await vi.advanceTimersByTimeAsync(500);
    const later = new Error("later");
    controller.abort(later);
    await expect(slept).rejects.toBe(later);
    expect(vi.getTimerCount()).toBe(0);
  });

  it("really waits with real timers", async () => {
    const clock = new RealClock();
    const before = Date.now();
    await clock.sleep(20);
    expect(Date.now() - before).toBeGreaterThanOrEqual(15);
  });
});
