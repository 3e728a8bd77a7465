/**
 * Tasks that live in the shared store, so a task created on one replica is polled on another:
 * a request loads the tasks it may name (its route's parameters) before the provider's handler
 * runs and writes back what changed after it. A task's planned transitions are jobs in the
 * store's due queue: whichever replica takes one (leased, so a replica that dies mid-way hands
 * it on) moves the task; and each state's notification (its webhook) is claimed once, however
 * many replicas see the state first.
 */
import { randomUUID } from "node:crypto";
import { type DueJobs, dueJobId, pumpIntervalMs, wallTimeOf } from "./due-jobs.ts";
import type { NamespaceState } from "./provider.ts";
import type { StateStore } from "./store/state-store.ts";
import { decodeTask, encodeTask } from "./task-codec.ts";
import type { Task, TaskView } from "./tasks.ts";

/** A task as this request loaded it, to write back only what changed. */
export interface LoadedTask {
  task: Task;
  json: string;
  polls: number;
  /** Whether this request counted a poll of the task in the store as it loaded it. */
  countedAhead: boolean;
}

/**
 * Status reads under way here that counted their poll in the store ahead of their handler:
 * `pending` counts not yet matched by a poll made here, `active` not yet written back.
 */
interface CountedAhead {
  pending: number;
  active: number;
}

export interface SharedTaskEvents {
  /** The namespace by name, holding what the store knows of it (its virtual clock above all). */
  synced(name: string): Promise<NamespaceState>;
  /** A task entered a state, and this replica won the right to say so (webhooks, listeners). */
  notify(ns: NamespaceState, task: Task, view: TaskView): void;
}

/** Beyond its retention, how long a task's record outlives its planned end. */
const recordSlackMs = 60_000;
/** Bounds a record's life whatever a provider's retention says. */
const maxRecordMs = 7 * 24 * 60 * 60 * 1000;

/**
 * How many of a provider's newest tasks a namespace lists across replicas (fewer when a replica
 * holds fewer tasks per namespace: it could not keep more).
 */
const indexCap = 1_000;
const listCap = (ns: NamespaceState) => Math.min(indexCap, ns.tasks.capacity);

const recordName = (id: string) => `task:${id}`;
/** A namespace's task ids of one provider, by creation time. */
const indexName = (provider: string) => `tasks:${provider}`;

export class SharedTasks {
  readonly #store: StateStore;
  /**
   * Per held task, the poll count the store is known to have. Concurrent requests share one
   * held task object, so each save sends only the polls made here since the last sync (never a
   * difference against its own load, which would count another request's polls again).
   */
  readonly #synced = new WeakMap<Task, number>();
  readonly #ahead = new WeakMap<Task, CountedAhead>();
  /** Per held task, its JSON as last read from or written to the store. */
  readonly #seen = new WeakMap<Task, string>();
  readonly #events: SharedTaskEvents;
  readonly #replica = randomUUID();
  /** Tasks created here with a watch, whose first job is queued once their record is written. */
  readonly #unscheduled = new Set<string>();

  constructor(store: StateStore, jobs: DueJobs, events: SharedTaskEvents) {
    this.#store = store;
    this.#events = events;
    jobs.handle(jobKind, (id, payload) => this.#run(id, payload));
  }

  /** Called by the task store for a task created with a watch. */
  watch(ns: NamespaceState, task: Task): void {
    this.#unscheduled.add(jobId(ns.name, task.id));
  }

  /**
   * Loads the stored tasks among `ids` into the namespace (fresh copies, updated in place), all
   * in one round trip; `missing` collects the ids the store does not hold. The task named
   * `polled` (a status read's) has its poll counted in the same round trip, ahead of the handler
   * that makes it; `save` takes the count back if the handler makes none.
   */
  async load(
    ns: NamespaceState,
    ids: Iterable<string>,
    missing?: string[],
    polled?: string,
  ): Promise<Map<string, LoadedTask>> {
    const wanted = [...new Set(ids)].filter((id) => id !== "" && id.length <= 200);
    const others = wanted.filter((id) => id !== polled);
    const counted = others.length < wanted.length;
    const [records, polledRecord] = await Promise.all([
      others.length > 0 ? this.#store.getRecords(ns.name, others.map(recordName)) : [],
      counted ? this.#store.getRecordCounting(ns.name, recordName(polled!), "polls") : undefined,
    ]);
    const found = new Map(others.map((id, index) => [id, records[index]]));
    if (counted) found.set(polled!, polledRecord);
    const loaded = new Map<string, LoadedTask>();
    for (const id of wanted) {
      const record = found.get(id);
      if (record?.task === undefined) missing?.push(id);
      else loaded.set(id, this.#adopt(ns, id, record.task, Number(record.polls ?? 0), id === polled));
    }
    return loaded;
  }

  /**
   * Loads the newest indexed tasks of `providers` (every replica's, up to `listCap` each) and
   * the tasks among `ids`: what a route that lists tasks needs, held in the index's order (by
   * creation time, then id). `limit` loads fewer (a view that shows the newest few). Ids whose
   * records expired leave the index.
   */
  async loadIndexed(
    ns: NamespaceState,
    providers: Iterable<string>,
    ids: Iterable<string> = [],
    limit = indexCap,
  ): Promise<Map<string, LoadedTask>> {
    const names = [...new Set(providers)].map(indexName);
    const newest = Math.min(listCap(ns), limit);
    const indexed = await Promise.all(names.map((name) => this.#store.readIndex(ns.name, name, newest)));
    const missing: string[] = [];
    const loaded = await this.load(ns, [...ids, ...indexed.flat()], missing);
    if (missing.length > 0)
      for (const name of names) void this.#store.removeFromIndex(ns.name, name, missing).catch(() => {});
    ns.tasks.sortByCreation();
    return loaded;
  }

  /** Merges a stored copy into the task held here (or adds it). */
  #adopt(ns: NamespaceState, id: string, json: string, polls: number, countedAhead: boolean): LoadedTask {
    // Polls made here and not yet written survive the merge of the stored copy.
    const held = ns.tasks.held(id);
    const unsent = held ? held.polls - (this.#synced.get(held) ?? held.polls) : 0;
    const ahead = (held && this.#ahead.get(held)) || { pending: 0, active: 0 };
    if (countedAhead) {
      ahead.pending++;
      ahead.active++;
    }
    // The store's count, less the polls counted ahead here that no handler has made yet.
    const synced = polls - ahead.pending;
    const count = synced + Math.max(0, unsent);
    // Unchanged in the store since this replica last saw it: the held task is that copy already
    // (or newer, with changes of a request under way here), so only its poll count is taken.
    const task =
      held && this.#seen.get(held) === json
        ? Object.assign(held, { polls: count })
        : ns.tasks.adopt(decodeTask(json, count));
    this.#seen.set(task, json);
    this.#synced.set(task, synced);
    if (ahead.active > 0) this.#ahead.set(task, ahead);
    return { task, json, polls, countedAhead };
  }

  /** Writes back the loaded tasks that changed, and the task a request created (`taskId`). */
  async saveAfter(ns: NamespaceState, loaded: Map<string, LoadedTask>, taskId?: string): Promise<void> {
    for (const entry of loaded.values()) await this.save(ns, entry.task, entry);
    if (taskId === undefined || loaded.has(taskId)) return;
    const created = ns.tasks.get(taskId);
    if (created) await this.save(ns, created);
  }

  /** Writes a task (only its changed parts when `before` says how it was loaded). */
  async save(ns: NamespaceState, task: Task, before?: LoadedTask): Promise<void> {
    const name = recordName(task.id);
    const json = encodeTask(task);
    // Taken before any await: a concurrent save of the same task then sends only newer polls.
    const synced = this.#synced.get(task);
    const made = before && synced !== undefined ? Math.max(0, task.polls - synced) : 0;
    const unsent = made - this.#settleAhead(task, made, before?.countedAhead === true);
    this.#synced.set(task, task.polls);
    const ttlMs = recordTtlMs(ns, task);
    this.#seen.set(task, json);
    if (json !== before?.json || !before)
      await this.#store.setFields(
        ns.name,
        name,
        { task: json, ...(before ? {} : { polls: String(task.polls) }) },
        ttlMs,
      );
    // A task written whole is new to the store: listed from now on, after its record exists.
    if (!before)
      await this.#store.addToIndex(ns.name, indexName(task.provider), task.id, task.createdAt, {
        cap: listCap(ns),
        ttlMs,
      });
    // Only onto a record still there: one recreated here would hold polls, no task and no TTL.
    if (unsent !== 0) await this.#store.incrExistingField(ns.name, name, "polls", unsent);
    const job = jobId(ns.name, task.id);
    if (this.#unscheduled.delete(job)) await this.#schedule(ns, task, job);
  }

  /**
   * How many of the polls made here since the last save the store already holds (counted ahead
   * by their reads), plus one when a finished read's count found no poll (its handler failed,
   * or was refused): the store then takes that count back.
   */
  #settleAhead(task: Task, made: number, readDone: boolean): number {
    const ahead = this.#ahead.get(task);
    if (!ahead) return 0;
    const matched = Math.min(made, ahead.pending);
    ahead.pending -= matched;
    if (!readDone) return matched;
    ahead.active--;
    if (ahead.active === 0) this.#ahead.delete(task);
    if (ahead.pending <= ahead.active) return matched;
    ahead.pending--;
    return matched + 1;
  }

  /**
   * A replica saw a task enter a state: the first replica to claim (task, state) notifies, so a
   * webhook leaves once even when several replicas see the change.
   */
  async observed(ns: NamespaceState, task: Task, view: TaskView): Promise<void> {
    const claim = `notified:${task.id}:${view.state}`;
    if (await this.#store.claim(ns.name, claim, this.#replica, recordTtlMs(ns, task)))
      this.#events.notify(ns, task, view);
  }

  /** Moves a task to where its clock says it is, then queues its next transition (or is done). */
  async #run(id: string, payload: string): Promise<void> {
    const { namespace, taskId } = JSON.parse(payload) as { namespace: string; taskId: string };
    const ns = await this.#events.synced(namespace);
    const loaded = (await this.load(ns, [taskId])).get(taskId);
    if (!loaded) {
      await this.#store.ack(id);
      return;
    }
    ns.tasks.refresh(loaded.task);
    await this.save(ns, loaded.task, loaded);
    if (!(await this.#schedule(ns, loaded.task, id))) await this.#store.ack(id);
  }

  /** Queues the task's next planned transition; `false` when it has none (ended or stuck). */
  async #schedule(ns: NamespaceState, task: Task, job: string): Promise<boolean> {
    const at = nextTransitionAt(ns, task);
    if (at === undefined) return false;
    await this.#store.schedule(
      job,
      wallTimeOf(ns.clock, at),
      JSON.stringify({ namespace: ns.name, taskId: task.id }),
    );
    return true;
  }
}

const jobKind = "task";

function jobId(namespace: string, taskId: string): string {
  return dueJobId(jobKind, namespace, taskId);
}

/** When the task will next change state by itself (on its clock), if it will. */
function nextTransitionAt(ns: NamespaceState, task: Task): number | undefined {
  const view = ns.tasks.view(task);
  if (view.terminal || task.fate.kind === "stuck" || task.forced || task.cancelledAt !== undefined)
    return undefined;
  const { progress, holdMs } = ns.tasks.progress;
  const now = ns.clock.now();
  let at = task.createdAt;
  for (const stage of task.stages) {
    at += progress === "polls" ? holdMs : stage.durationMs;
    if (at > now) return at;
  }
  if (progress === "polls" && holdMs <= 0) return undefined;
  return now + pumpIntervalMs;
}

/** How long the store keeps a task: its planned run, its retention, a minute more. */
function recordTtlMs(ns: NamespaceState, task: Task): number {
  const { progress, holdMs } = ns.tasks.progress;
  const run = task.stages.reduce((sum, s) => sum + (progress === "polls" ? holdMs : s.durationMs), 0);
  const end = task.createdAt + run + task.retentionMs + recordSlackMs;
  return Math.min(maxRecordMs, Math.max(recordSlackMs, end - ns.clock.now()));
}
