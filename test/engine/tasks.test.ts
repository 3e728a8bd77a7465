import { describe, expect, it } from "vitest";
import { type Fate, type Task, type TaskInit, TaskStore, type TaskView } from "../../mocks/engine/tasks.ts";
import { VirtualClock } from "../../src/core/clock.ts";

const T0 = 1_000_000;

function init(id: string, overrides: Partial<TaskInit<{ n: number }>> = {}): TaskInit<{ n: number }> {
  return {
    id,
    provider: "freepik",
    operation: "upscale",
    stages: [
      { state: "CREATED", durationMs: 1_000 },
      { state: "IN_PROGRESS", durationMs: 4_000 },
    ],
    success: "COMPLETED",
    failure: "FAILED",
    fate: { kind: "success" },
    retentionMs: 60_000,
    data: { n: 1 },
    ...overrides,
  };
}

function setup(options: { progress?: "time" | "polls"; maxTasks?: number; holdMs?: number } = {}) {
  const clock = new VirtualClock({ start: T0 });
  const transitions: Array<{ id: string; state: string; at: number; view: TaskView }> = [];
  const store = new TaskStore({
    clock,
    namespace: "ns-a",
    progress: options.progress ?? "time",
    ...(options.maxTasks !== undefined ? { maxTasks: options.maxTasks } : {}),
    ...(options.holdMs !== undefined ? { holdMs: options.holdMs } : {}),
    onTransition: (task, view) => transitions.push({ id: task.id, state: view.state, at: clock.now(), view }),
  });
  return { clock, store, transitions };
}

function stateAt(store: TaskStore, task: Task) {
  const view = store.view(task);
  return [view.state, view.terminal, view.stageIndex, view.inStageMs] as const;
}

describe("TaskStore: time-driven lifecycle", () => {
  it("creates a task with its namespace, creation time and first state", () => {
    const { store } = setup();
    const task = store.create(init("t1"))!;
    expect(task).toMatchObject({
      id: "t1",
      namespace: "ns-a",
      createdAt: T0,
      polls: 0,
      lastState: "CREATED",
      data: { n: 1 },
    });
    expect(store.get("t1")).toBe(task);
    expect(store.size).toBe(1);
    expect(store.get("unknown")).toBeUndefined();
  });

  it("shows the right state at each boundary millisecond", async () => {
    const { clock, store } = setup();
    const task = store.create(init("t1"))!;
    expect(stateAt(store, task)).toEqual(["CREATED", false, 0, 0]);
    await clock.advance(999);
    expect(stateAt(store, task)).toEqual(["CREATED", false, 0, 999]);
    await clock.advance(1);
    expect(stateAt(store, task)).toEqual(["IN_PROGRESS", false, 1, 0]);
    expect(store.view(task).stageMs).toBe(4_000);
    await clock.advance(3_999);
    expect(stateAt(store, task)).toEqual(["IN_PROGRESS", false, 1, 3_999]);
    await clock.advance(1);
    const done = store.view(task);
    expect(done).toEqual({
      state: "COMPLETED",
      terminal: true,
      stageIndex: 2,
      inStageMs: 0,
      stageMs: 0,
      finishesAt: T0 + 5_000,
    });
  });

  it("reports the planned finish time while running", () => {
    const { store } = setup();
    const task = store.create(init("t1"))!;
    expect(store.view(task).finishesAt).toBe(T0 + 5_000);
  });

  it("a failing fate ends in the failure state with its reason", async () => {
    const { clock, store } = setup();
    const task = store.create(init("t1", { fate: { kind: "failure", reason: "content policy" } }))!;
    await clock.advance(4_999);
    expect(store.view(task).state).toBe("IN_PROGRESS");
    await clock.advance(1);
    expect(store.view(task)).toMatchObject({
      state: "FAILED",
      terminal: true,
      failureReason: "content policy",
      finishesAt: T0 + 5_000,
    });
  });

  it("a success has no failure reason", async () => {
    const { clock, store } = setup();
    const task = store.create(init("t1"))!;
    await clock.advance(5_000);
    expect(store.view(task)).not.toHaveProperty("failureReason");
  });

  it("a stuck task stays in its first state forever and never expires", async () => {
    const { clock, store } = setup();
    const task = store.create(init("t1", { fate: { kind: "stuck" } }))!;
    await clock.advance(365 * 24 * 3_600_000);
    const view = store.view(task);
    expect(view).toMatchObject({ state: "CREATED", terminal: false, stageIndex: 0 });
    expect(view.inStageMs).toBe(365 * 24 * 3_600_000);
    expect(view.stageMs).toBe(Number.POSITIVE_INFINITY);
    expect(view.finishesAt).toBe(Number.POSITIVE_INFINITY);
    expect(store.get("t1")).toBe(task);
  });

  it("a task without stages is finished at once", () => {
    const { store } = setup();
    const task = store.create(init("t1", { stages: [] }))!;
    expect(task.lastState).toBe("COMPLETED");
    expect(store.view(task)).toMatchObject({ state: "COMPLETED", terminal: true, finishesAt: T0 });
  });

  it("a finished task stays retrievable for retentionMs, then get returns undefined and drops it", async () => {
    const { clock, store } = setup();
    store.create(init("t1"))!;
    await clock.advance(5_000 + 60_000);
    expect(store.get("t1")?.id).toBe("t1");
    await clock.advance(1);
    expect(store.get("t1")).toBeUndefined();
    expect(store.size).toBe(0);
  });

  it("list skips (and drops) expired tasks", async () => {
    const { clock, store } = setup();
    store.create(init("short", { retentionMs: 10 }));
    store.create(init("long"));
    await clock.advance(5_011);
    expect(store.list().map((t) => t.id)).toEqual(["long"]);
    expect(store.size).toBe(1);
  });
});

describe("TaskStore: poll-driven lifecycle", () => {
  it("each poll shows the next state, whatever the time", async () => {
    const { clock, store } = setup({ progress: "polls" });
    const task = store.create(init("t1"))!;
    expect(store.view(task).state).toBe("CREATED");
    await clock.advance(1_000_000);
    expect(store.view(task).state).toBe("CREATED");
    const seen = [store.poll(task), store.poll(task), store.poll(task), store.poll(task)].map((v) => [
      v.state,
      v.terminal,
      v.stageIndex,
    ]);
    expect(seen).toEqual([
      ["CREATED", false, 0],
      ["IN_PROGRESS", false, 1],
      ["COMPLETED", true, 2],
      ["COMPLETED", true, 2],
    ]);
    expect(task.polls).toBe(4);
  });

  it("a failing fate shows the failure after the last stage; stuck never moves", () => {
    const { store } = setup({ progress: "polls" });
    const failing = store.create(init("f", { fate: { kind: "failure", reason: "nsfw" } }))!;
    const stuck = store.create(init("s", { fate: { kind: "stuck" } }))!;
    for (let i = 0; i < 2; i++) {
      store.poll(failing);
      store.poll(stuck);
    }
    expect(store.poll(failing)).toMatchObject({ state: "FAILED", terminal: true, failureReason: "nsfw" });
    for (let i = 0; i < 10; i++) store.poll(stuck);
    expect(store.view(stuck)).toMatchObject({ state: "CREATED", terminal: false });
  });

  it("transitions fire once per change as polls move the task", () => {
    const { store, transitions } = setup({ progress: "polls" });
    const task = store.create(init("t1"))!;
    for (let i = 0; i < 5; i++) store.poll(task);
    expect(transitions.map((t) => t.state)).toEqual(["IN_PROGRESS", "COMPLETED"]);
  });

  it("a poll-driven task that finished just now is still retrievable (retention counts from the finish)", async () => {
    const { clock, store } = setup({ progress: "polls" });
    const task = store.create(init("t1"))!;
    store.poll(task);
    // The client polls slowly: more than the retention passes before the last poll.
    await clock.advance(61_000);
    store.poll(task);
    expect(store.poll(task).terminal).toBe(true);
    expect(store.get("t1")).toBe(task);
  });
});

describe("TaskStore: force and cancel", () => {
  it("force to a stage holds it there", async () => {
    const { clock, store, transitions } = setup();
    const task = store.create(init("t1"))!;
    const view = store.force(task, "IN_PROGRESS");
    expect(view).toMatchObject({ state: "IN_PROGRESS", terminal: false, stageIndex: 1 });
    expect(view.finishesAt).toBe(Number.POSITIVE_INFINITY);
    await clock.advance(1_000_000);
    expect(store.view(task).state).toBe("IN_PROGRESS");
    expect(transitions.map((t) => t.state)).toEqual(["IN_PROGRESS"]);
  });

  it("force to the success state finishes the task now", async () => {
    const { clock, store } = setup();
    const task = store.create(init("t1"))!;
    await clock.advance(200);
    expect(store.force(task, "COMPLETED")).toMatchObject({
      state: "COMPLETED",
      terminal: true,
      finishesAt: T0 + 200,
    });
    expect(store.view(task)).not.toHaveProperty("failureReason");
    // Retention runs from the forced finish.
    await clock.advance(60_000);
    expect(store.get("t1")).toBe(task);
    await clock.advance(1);
    expect(store.get("t1")).toBeUndefined();
  });

  it("force to the failure state carries the given reason, or 'forced'", () => {
    const { store } = setup();
    const a = store.create(init("a"))!;
    const b = store.create(init("b"))!;
    expect(store.force(a, "FAILED", "out of credit")).toMatchObject({
      state: "FAILED",
      terminal: true,
      failureReason: "out of credit",
    });
    expect(store.force(b, "FAILED").failureReason).toBe("forced");
  });

  it("force after the natural finish keeps the natural finish time", async () => {
    const { clock, store } = setup();
    const task = store.create(init("t1"))!;
    await clock.advance(9_000);
    expect(store.force(task, "FAILED").finishesAt).toBe(T0 + 5_000);
  });

  it("cancel ends the task in the failure state, reason 'cancelled', finished now", async () => {
    const { clock, store, transitions } = setup();
    const task = store.create(init("t1"), true)!;
    await clock.advance(1_500);
    const view = store.cancel(task);
    expect(view).toEqual({
      state: "FAILED",
      terminal: true,
      stageIndex: 2,
      inStageMs: 0,
      stageMs: 0,
      finishesAt: T0 + 1_500,
      failureReason: "cancelled",
    });
    // Its watch timers are gone: nothing more is heard.
    expect(clock.pending).toBe(0);
    await clock.advance(10_000);
    expect(transitions.map((t) => t.state)).toEqual(["IN_PROGRESS", "FAILED"]);
    await clock.advance(60_000);
    expect(store.get("t1")).toBeUndefined();
  });

  it("cancel after a forced stage ends the task (the later action wins)", () => {
    const { store } = setup();
    const task = store.create(init("t1"))!;
    store.force(task, "IN_PROGRESS");
    expect(store.cancel(task)).toMatchObject({ state: "FAILED", terminal: true, failureReason: "cancelled" });
  });
});

describe("TaskStore: onTransition", () => {
  it("a watched task reports each transition once, at its time, without anyone polling", async () => {
    const { clock, store, transitions } = setup();
    store.create(init("t1"), true);
    expect(clock.pending).toBe(2);
    await clock.runUntilIdle();
    expect(transitions.map((t) => [t.id, t.state, t.at])).toEqual([
      ["t1", "IN_PROGRESS", T0 + 1_000],
      ["t1", "COMPLETED", T0 + 5_000],
    ]);
  });

  it("reads after a watch timer fired do not repeat the transition", async () => {
    const { clock, store, transitions } = setup();
    const task = store.create(init("t1"), true)!;
    await clock.advance(1_200);
    store.refresh(task);
    store.poll(task);
    await clock.advance(5_000);
    store.refresh(task);
    expect(transitions.map((t) => t.state)).toEqual(["IN_PROGRESS", "COMPLETED"]);
  });

  it("an unwatched task reports changes only when read, and skipped states are not replayed", async () => {
    const { clock, store, transitions } = setup();
    const task = store.create(init("t1"))!;
    expect(clock.pending).toBe(0);
    await clock.advance(10_000);
    expect(transitions).toEqual([]);
    store.view(task);
    expect(transitions).toEqual([]);
    store.refresh(task);
    expect(transitions.map((t) => t.state)).toEqual(["COMPLETED"]);
    expect(transitions[0]!.view.terminal).toBe(true);
  });

  it("stuck tasks and poll-driven tasks get no watch timers", () => {
    const time = setup();
    time.store.create(init("s", { fate: { kind: "stuck" } }), true);
    expect(time.clock.pending).toBe(0);
    const polls = setup({ progress: "polls" });
    polls.store.create(init("p"), true);
    expect(polls.clock.pending).toBe(0);
  });

  it("delete and clear cancel watch timers", () => {
    const { clock, store } = setup();
    store.create(init("a"), true);
    store.create(init("b"), true);
    expect(clock.pending).toBe(4);
    store.delete("a");
    expect(clock.pending).toBe(2);
    store.clear();
    expect(clock.pending).toBe(0);
    expect(store.size).toBe(0);
  });
});

describe("TaskStore: history", () => {
  const history = (task: Task) => task.history.map((h) => [h.state, h.at - T0]);

  it("a time-driven task read once at the end still holds every state at its planned time", async () => {
    const { clock, store } = setup();
    const task = store.create(init("t1"))!;
    await clock.advance(9_000);
    store.refresh(task);
    expect(history(task)).toEqual([
      ["CREATED", 0],
      ["IN_PROGRESS", 1_000],
      ["COMPLETED", 5_000],
    ]);
  });

  it("a poll-driven task holds each state from the poll that showed it", async () => {
    const { clock, store } = setup({ progress: "polls" });
    const task = store.create(init("t1"))!;
    for (const wait of [100, 200, 300]) {
      await clock.advance(wait);
      store.poll(task);
    }
    expect(history(task)).toEqual([
      ["CREATED", 0],
      ["IN_PROGRESS", 300],
      ["COMPLETED", 600],
    ]);
  });

  it("a forced state is held from when it was forced", async () => {
    const { clock, store } = setup();
    const task = store.create(init("t1"))!;
    await clock.advance(500);
    store.force(task, "FAILED", "nope");
    expect(history(task)).toEqual([
      ["CREATED", 0],
      ["FAILED", 500],
    ]);
  });
});

describe("TaskStore: poll-driven tasks that also move on their own (holdMs)", () => {
  it("each state lasts holdMs when nobody polls; a watched task reports each change", async () => {
    const { clock, store, transitions } = setup({ progress: "polls", holdMs: 5 });
    const task = store.create(init("t1"), true)!;
    expect(store.view(task).state).toBe("CREATED");
    await clock.advance(5);
    expect(store.view(task).state).toBe("IN_PROGRESS");
    await clock.advance(5);
    expect(store.view(task)).toMatchObject({ state: "COMPLETED", terminal: true, finishesAt: T0 + 10 });
    expect(transitions.map((t) => [t.state, t.at - T0])).toEqual([
      ["IN_PROGRESS", 5],
      ["COMPLETED", 10],
    ]);
  });

  it("a poller faster than the hold still sees every state, one per poll", () => {
    const { store } = setup({ progress: "polls", holdMs: 5 });
    const task = store.create(init("t1"))!;
    expect([store.poll(task), store.poll(task), store.poll(task)].map((v) => v.state)).toEqual([
      "CREATED",
      "IN_PROGRESS",
      "COMPLETED",
    ]);
  });

  it("a poll after the task ended by itself sees the end; stuck tasks never move", async () => {
    const { clock, store } = setup({ progress: "polls", holdMs: 5 });
    const task = store.create(init("t1"))!;
    const stuck = store.create(init("s", { fate: { kind: "stuck" } }), true)!;
    await clock.advance(1_000);
    expect(store.poll(task).state).toBe("COMPLETED");
    expect(store.poll(stuck).state).toBe("CREATED");
    expect(clock.pending).toBe(0);
  });
});

describe("TaskStore: cap", () => {
  const quick = (id: string, ms: number, fate: Fate = { kind: "success" }) =>
    init(id, { stages: [{ state: "RUNNING", durationMs: ms }], fate });

  it("evicts finished tasks oldest first, never a running one", async () => {
    const { clock, store } = setup({ maxTasks: 3 });
    store.create(quick("long", 100_000));
    store.create(quick("b", 10));
    store.create(quick("c", 20));
    await clock.advance(50);
    expect(store.create(quick("d", 100_000))?.id).toBe("d");
    expect(store.list().map((t) => t.id)).toEqual(["long", "c", "d"]);
    expect(store.create(quick("e", 100_000))?.id).toBe("e");
    expect(store.list().map((t) => t.id)).toEqual(["long", "d", "e"]);
  });

  it("refuses a new task when every task is still running", () => {
    const { store } = setup({ maxTasks: 2 });
    store.create(quick("a", 1_000));
    store.create(quick("b", 1_000));
    expect(store.create(quick("c", 1_000))).toBeUndefined();
    expect(store.size).toBe(2);
    expect(store.get("c")).toBeUndefined();
  });

  it("a stuck task counts as running; a cancelled one as finished", () => {
    const { store } = setup({ maxTasks: 2 });
    store.create(quick("stuck", 10, { kind: "stuck" }));
    const b = store.create(quick("b", 1_000))!;
    expect(store.create(quick("c", 1_000))).toBeUndefined();
    store.cancel(b);
    expect(store.create(quick("c", 1_000))?.id).toBe("c");
    expect(store.list().map((t) => t.id)).toEqual(["stuck", "c"]);
  });
});
