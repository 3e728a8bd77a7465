/**
 * Per-namespace store of provider tasks. A task walks its provider's lifecycle either by time
 * (on the namespace's clock) or by poll count (one state per status read, for `--latency none`).
 * Poll-driven tasks also move on their own, one state per `holdMs` of clock time, so a task
 * nobody polls still ends (and its webhook leaves), while a poller faster than that sees every
 * state. State is derived when read, so nothing needs a timer unless someone watches transitions
 * (webhooks). Bounded: finished tasks are evicted oldest first; a running task is never dropped,
 * and when the store is full of running tasks a new one is refused instead.
 */
import type { Clock } from "../../src/core/clock.ts";
import type { Progress, Task, TaskInit, TaskView } from "./task-types.ts";

export {
  type Fate,
  type Progress,
  type Stage,
  type StateEntry,
  type Task,
  type TaskInit,
  type TaskView,
  taskStates,
} from "./task-types.ts";

/** States kept per task: enough for any lifecycle, bounded against a state forced in a loop. */
const historyCap = 32;

export interface TaskStoreOptions {
  clock: Clock;
  namespace: string;
  progress: Progress;
  maxTasks?: number;
  /**
   * With `polls` progress: how long each state lasts when nobody polls (ms of clock time);
   * 0 moves tasks only by polls.
   */
  holdMs?: number;
  /** Called whenever a task's observed state changes (webhooks hang off this). */
  onTransition?: (task: Task, view: TaskView) => void;
  /**
   * Takes over watching tasks created with `watch` (a shared store's due queue, so the
   * transitions fire once across replicas); without it, timers on the clock do.
   */
  watcher?: (task: Task) => void;
}

export class TaskStore {
  readonly #tasks = new Map<string, Task>();
  readonly #options: Required<Omit<TaskStoreOptions, "onTransition" | "watcher">> &
    Pick<TaskStoreOptions, "onTransition" | "watcher">;
  readonly #timers = new Map<string, () => void>();

  constructor(options: TaskStoreOptions) {
    this.#options = { maxTasks: 10_000, holdMs: 0, ...options };
  }

  get clock(): Clock {
    return this.#options.clock;
  }

  /** Adds a task; `undefined` when the store is full of running tasks (answer with a 429). */
  create<Data>(init: TaskInit<Data>, watch = false): Task<Data> | undefined {
    if (this.#tasks.size >= this.#options.maxTasks && !this.#evictOne()) return undefined;
    const task: Task<Data> = {
      ...init,
      namespace: this.#options.namespace,
      createdAt: this.clock.now(),
      polls: 0,
      lastState: init.stages[0]?.state ?? init.success,
      history: [],
    };
    task.history.push({ state: task.lastState, at: task.createdAt });
    this.#tasks.set(task.id, task as Task);
    if (watch) {
      if (this.#options.watcher) this.#options.watcher(task as Task);
      else this.#watch(task as Task);
    }
    return task;
  }

  /** The task held here as it is (no expiry check), for a loader merging a stored copy in. */
  held(id: string): Task | undefined {
    return this.#tasks.get(id);
  }

  /**
   * Holds a task as another replica left it in the shared store: the copy here (which callers
   * may hold) is updated in place, or the task is added. Never refused: it exists already.
   */
  adopt(loaded: Task): Task {
    const held = this.#tasks.get(loaded.id);
    if (held) return Object.assign(held, loaded);
    if (this.#tasks.size >= this.#options.maxTasks) this.#evictOne();
    this.#tasks.set(loaded.id, loaded);
    return loaded;
  }

  /** How many tasks the store holds at most. */
  get capacity(): number {
    return this.#options.maxTasks;
  }

  /** How tasks advance in this store, and how long each poll-driven state holds unpolled. */
  get progress(): { progress: Progress; holdMs: number } {
    return { progress: this.#options.progress, holdMs: this.#options.holdMs };
  }

  /** The task, unless unknown or expired (an expired task is removed). */
  get<Data = unknown>(id: string): Task<Data> | undefined {
    const task = this.#tasks.get(id);
    if (!task) return undefined;
    const view = this.view(task);
    if (view.terminal && this.clock.now() > view.finishesAt + task.retentionMs) {
      this.delete(id);
      return undefined;
    }
    return task as Task<Data>;
  }

  /** Counts a status read (moves poll-driven tasks one state on) and returns the fresh view. */
  poll(task: Task): TaskView {
    task.polls++;
    if (
      this.#options.progress === "polls" &&
      task.polls > task.stages.length &&
      task.finishedAt === undefined
    )
      task.finishedAt = this.clock.now();
    return this.refresh(task);
  }

  /** Recomputes the state and fires onTransition if it changed. */
  refresh(task: Task): TaskView {
    const view = this.view(task);
    if (view.state !== task.lastState) {
      task.lastState = view.state;
      this.#remember(task, view);
      this.#options.onTransition?.(task, view);
    }
    return view;
  }

  /**
   * Adds the state just seen to the task's history, with when it was entered: on time-driven
   * tasks, the planned times (also of stages passed between two reads); otherwise, now.
   */
  #remember(task: Task, view: TaskView): void {
    const now = this.clock.now();
    const last = task.history.at(-1);
    const from = task.stages.findIndex((s) => s.state === last?.state);
    const planned = this.#options.progress === "time" && !task.forced && task.cancelledAt === undefined;
    if (planned && from >= 0) {
      let at = task.createdAt;
      for (let index = 0; index < view.stageIndex; index++) {
        at += task.stages[index]!.durationMs;
        if (index + 1 > from && index + 1 < view.stageIndex)
          task.history.push({ state: task.stages[index + 1]!.state, at });
      }
    }
    const at = view.terminal ? Math.min(now, view.finishesAt) : now - view.inStageMs;
    task.history.push({ state: view.state, at: Math.max(at, last?.at ?? at) });
    if (task.history.length > historyCap) task.history.splice(1, task.history.length - historyCap);
  }

  view(task: Task): TaskView {
    const now = this.clock.now();
    const total = task.stages.reduce((sum, s) => sum + s.durationMs, 0);
    const finishesAt = task.createdAt + total;
    const cancelledLast =
      task.cancelledAt !== undefined && (!task.forced || task.cancelledAt >= task.forced.at);
    if (task.forced && !cancelledLast)
      return this.#terminalOrStage(task, task.forced.state, finishesAt, task.forced.reason);
    if (task.cancelledAt !== undefined) {
      return {
        state: task.failure,
        terminal: true,
        stageIndex: task.stages.length,
        inStageMs: 0,
        stageMs: 0,
        finishesAt: task.cancelledAt,
        failureReason: "cancelled",
      };
    }
    if (task.fate.kind === "stuck" || task.stages.length === 0) {
      if (task.stages.length === 0) return this.#terminal(task, finishesAt);
      return {
        state: task.stages[0]!.state,
        terminal: false,
        stageIndex: 0,
        inStageMs: now - task.createdAt,
        stageMs: Number.POSITIVE_INFINITY,
        finishesAt: Number.POSITIVE_INFINITY,
      };
    }
    if (this.#options.progress === "polls") {
      // Each read shows the next state (the first read sees stage 0, and so on); time moves the
      // task too, one state per hold, whichever is further.
      const index = Math.max(0, task.polls - 1, this.#heldStages(task, now));
      if (index < task.stages.length) {
        return {
          state: task.stages[index]!.state,
          terminal: false,
          stageIndex: index,
          inStageMs: 0,
          stageMs: task.stages[index]!.durationMs,
          finishesAt: Number.POSITIVE_INFINITY,
        };
      }
      const heldEnd =
        this.#options.holdMs > 0 ? task.createdAt + this.#options.holdMs * task.stages.length : now;
      return this.#terminal(task, Math.min(task.finishedAt ?? now, heldEnd));
    }
    let elapsed = now - task.createdAt;
    for (let index = 0; index < task.stages.length; index++) {
      const stage = task.stages[index]!;
      if (elapsed < stage.durationMs) {
        return {
          state: stage.state,
          terminal: false,
          stageIndex: index,
          inStageMs: elapsed,
          stageMs: stage.durationMs,
          finishesAt,
        };
      }
      elapsed -= stage.durationMs;
    }
    return this.#terminal(task, finishesAt);
  }

  /**
   * Forces a state (admin API, Pact provider states). Terminal states count as finished now.
   * `fields` are merged into `task.data` first, so what the provider reports for the state
   * follows them (a queue position). Only integers onto fields the data already holds as numbers
   * are taken: a forced state never adds a field to a task or changes one's kind.
   */
  force(task: Task, state: string, reason?: string, fields?: Readonly<Record<string, unknown>>): TaskView {
    if (fields && typeof task.data === "object" && task.data !== null) {
      const data = task.data as Record<string, unknown>;
      for (const [name, value] of Object.entries(fields))
        if (Number.isInteger(value) && Object.hasOwn(data, name) && typeof data[name] === "number")
          data[name] = value;
    }
    task.forced = { state, at: this.clock.now(), ...(reason ? { reason } : {}) };
    return this.refresh(task);
  }

  cancel(task: Task): TaskView {
    task.cancelledAt = this.clock.now();
    this.#unwatch(task.id);
    return this.refresh(task);
  }

  /** The live tasks, in the order they were made here or sorted in (oldest first). */
  list(): Task[] {
    return [...this.#tasks.keys()].map((id) => this.get(id)).filter((t): t is Task => t !== undefined);
  }

  /**
   * Orders the tasks held by creation time, then id: a shared store's index orders them so, and
   * a replica that adopted tasks made elsewhere then lists them as every other replica does.
   */
  sortByCreation(): void {
    const tasks = [...this.#tasks.values()];
    if (tasks.every((task, i) => i === 0 || byCreation(tasks[i - 1]!, task) <= 0)) return;
    this.#tasks.clear();
    for (const task of tasks.sort(byCreation)) this.#tasks.set(task.id, task);
  }

  delete(id: string): void {
    this.#unwatch(id);
    this.#tasks.delete(id);
  }

  clear(): void {
    for (const id of [...this.#tasks.keys()]) this.delete(id);
  }

  get size(): number {
    return this.#tasks.size;
  }

  #terminal(task: Task, finishesAt: number): TaskView {
    const failed = task.fate.kind === "failure";
    return {
      state: failed ? task.failure : task.success,
      terminal: true,
      stageIndex: task.stages.length,
      inStageMs: 0,
      stageMs: 0,
      finishesAt,
      ...(task.fate.kind === "failure" ? { failureReason: task.fate.reason } : {}),
    };
  }

  #terminalOrStage(task: Task, state: string, finishesAt: number, reason?: string): TaskView {
    const index = task.forceOnly?.includes(state) ? 0 : task.stages.findIndex((s) => s.state === state);
    if (index >= 0) {
      return {
        state,
        terminal: false,
        stageIndex: index,
        inStageMs: 0,
        stageMs: Number.POSITIVE_INFINITY,
        finishesAt: Number.POSITIVE_INFINITY,
      };
    }
    const at = Math.min(finishesAt, task.forced?.at ?? finishesAt);
    return {
      state,
      terminal: true,
      stageIndex: task.stages.length,
      inStageMs: 0,
      stageMs: 0,
      finishesAt: at,
      ...(state === task.failure ? { failureReason: reason ?? "forced" } : {}),
    };
  }

  /** How many stages a poll-driven task has passed on its own by `now`. */
  #heldStages(task: Task, now: number): number {
    const { holdMs } = this.#options;
    return holdMs > 0 ? Math.floor((now - task.createdAt) / holdMs) : 0;
  }

  /** Schedules a refresh at each planned transition, so watchers hear about it without polling. */
  #watch(task: Task): void {
    if (task.fate.kind === "stuck") return;
    const byPolls = this.#options.progress === "polls";
    if (byPolls && this.#options.holdMs <= 0) return;
    let at = 0;
    const cancels: Array<() => void> = [];
    for (const stage of task.stages) {
      at += byPolls ? this.#options.holdMs : stage.durationMs;
      cancels.push(this.clock.schedule(at, () => this.refresh(task)));
    }
    this.#timers.set(task.id, () => {
      for (const cancel of cancels) cancel();
    });
  }

  #unwatch(id: string): void {
    this.#timers.get(id)?.();
    this.#timers.delete(id);
  }

  /** Drops the oldest finished task; false when every task is still running. */
  #evictOne(): boolean {
    for (const task of this.#tasks.values()) {
      if (this.view(task).terminal) {
        this.delete(task.id);
        return true;
      }
    }
    return false;
  }
}

function byCreation(a: Task, b: Task): number {
  return a.createdAt - b.createdAt || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}
