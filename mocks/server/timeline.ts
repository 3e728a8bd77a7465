/**
 * Each task's life for the dashboard's timeline: the states it went through as spans of time,
 * and the calls (submit, polls, faults) and webhook attempts that touched it as marks. Built
 * on request from the task history, the journal and the webhook log; nothing on the hot path.
 */
import type { JournalEntry } from "../engine/journal.ts";
import type { Simulator } from "../engine/simulator.ts";
import type { Task } from "../engine/tasks.ts";
import { journalEntries, journalNamespaces } from "./journal-read.ts";
import { webhookDeliveries } from "./webhook-read.ts";

export type Outcome = "running" | "succeeded" | "failed";

export interface TimelineSpan {
  state: string;
  from: number;
  to: number;
  kind: "stage" | "success" | "failure";
}

export interface TimelineMark {
  at: number;
  kind: "call" | "fault" | "webhook";
  label: string;
  /** The journal entry behind a call or fault (the detail view opens it). */
  seq?: number;
  status?: number;
}

export interface TimelineRow {
  id: string;
  namespace: string;
  provider: string;
  operation: string;
  state: string;
  outcome: Outcome;
  start: number;
  end: number;
  spans: TimelineSpan[];
  marks: TimelineMark[];
}

export interface TimelineQuery {
  namespace?: string;
  provider?: string;
  outcome?: Outcome;
  offset: number;
  limit: number;
}

/** The newest tasks first, filtered, one page of them. */
export async function timeline(simulator: Simulator, query: TimelineQuery) {
  const rows: TimelineRow[] = [];
  // With a shared store, every replica's namespaces and tasks.
  for (const name of await journalNamespaces(simulator, query.namespace)) {
    const tasks = (await simulator.listTasks(name, query.provider))
      .map((task) => ({ task, row: baseRow(simulator, task) }))
      .filter(({ row }) => !query.outcome || row.outcome === query.outcome);
    if (tasks.length === 0) continue;
    // Every replica's calls, with a shared store: a task polled through another one shows them.
    const calls = callsByTask(await journalEntries(simulator, [name]));
    const deliveries = await webhookDeliveries(simulator, [name]);
    for (const { task, row } of tasks) {
      row.marks = [
        ...(calls.get(task.id) ?? []).map(callMark),
        ...deliveries
          .filter((delivery) => delivery.taskId === task.id)
          .flatMap((delivery) =>
            delivery.attempts.map(
              (attempt): TimelineMark => ({
                at: attempt.at,
                kind: "webhook",
                label: `webhook ${delivery.event} → ${attempt.status ?? attempt.error ?? "no answer"}`,
                ...(attempt.status !== undefined ? { status: attempt.status } : {}),
              }),
            ),
          ),
      ].sort((a, b) => a.at - b.at);
      rows.push(row);
    }
  }
  rows.sort((a, b) => b.start - a.start);
  return {
    total: rows.length,
    offset: query.offset,
    rows: rows.slice(query.offset, query.offset + query.limit),
  };
}

function baseRow(simulator: Simulator, task: Task): TimelineRow {
  const ns = simulator.namespace(task.namespace);
  const view = ns.tasks.view(task);
  const now = ns.clock.now();
  const outcome: Outcome = !view.terminal ? "running" : view.state === task.failure ? "failed" : "succeeded";
  const history = [...task.history];
  // The history holds states seen; the state now may not have been read yet.
  if (history.at(-1)?.state !== view.state) {
    const at = view.terminal ? Math.min(now, view.finishesAt) : now - view.inStageMs;
    history.push({ state: view.state, at: Math.max(at, history.at(-1)?.at ?? at) });
  }
  const end = view.terminal ? (history.at(-1)?.at ?? now) : now;
  const spans = history.map((entry, index): TimelineSpan => {
    const next = history[index + 1];
    const kind =
      entry.state === task.success ? "success" : entry.state === task.failure ? "failure" : "stage";
    return { state: entry.state, from: entry.at, to: next ? next.at : end, kind };
  });
  return {
    id: task.id,
    namespace: task.namespace,
    provider: task.provider,
    operation: task.operation,
    state: view.state,
    outcome,
    start: task.createdAt,
    end,
    spans,
    marks: [],
  };
}

/**
 * The journal's calls by the task they concern: the task a handler named, or a task id in the
 * path (a poll answered by a fault never reached the handler that would have named it).
 */
function callsByTask(entries: JournalEntry[]): Map<string, JournalEntry[]> {
  const byTask = new Map<string, JournalEntry[]>();
  const add = (id: string, entry: JournalEntry) => {
    const list = byTask.get(id);
    if (list) {
      if (list.at(-1) !== entry) list.push(entry);
    } else byTask.set(id, [entry]);
  };
  for (const entry of entries) {
    if (entry.taskId) add(entry.taskId, entry);
    for (const segment of entry.path.split("/")) if (segment.length >= 16) add(segment, entry);
  }
  return byTask;
}

function callMark(entry: JournalEntry): TimelineMark {
  const faulty = entry.faults.length > 0 || entry.status === 0 || entry.status >= 400;
  const faults = entry.faults.length > 0 ? ` [${entry.faults.join(", ")}]` : "";
  return {
    at: entry.time,
    kind: faulty ? "fault" : "call",
    label: `${entry.method} ${entry.operation} → ${entry.status || "no answer"}${faults}`,
    seq: entry.seq,
    status: entry.status,
  };
}
