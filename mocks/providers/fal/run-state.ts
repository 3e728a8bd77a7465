/**
 * What a queued fal run is and how it looks on the wire. Internally a run ends in COMPLETED or
 * FAILED (so an admin can force either); on the wire both are `COMPLETED`, and a failed run
 * carries `error`/`error_type` while its result GET answers with the error, as fal does.
 */
import type { QueueStatus, RequestLog } from "../../../src/providers/fal/schemas.ts";
import type { Task, TaskView } from "../../engine/tasks.ts";
import { type ErrorAnswer, infraError } from "./errors.ts";
import type { OutputPlan } from "./output.ts";

export const succeeded = "COMPLETED";
/** Internal only: shown to callers as COMPLETED with an error. */
export const failed = "FAILED";

export interface RunError {
  answer: ErrorAnswer;
  errorType: string;
  message: string;
}

export interface PlannedLog {
  /** When in the run (0–1 of its length) the line is written. */
  at: number;
  level: RequestLog["level"];
  message: string;
}

export interface FalTaskData {
  userId: string;
  webhookUrl?: string;
  urls: { response: string; status: string; cancel: string };
  /** Position when submitted; it falls to 0 as the queue stage runs out. */
  queuePosition: number;
  plan?: OutputPlan;
  runError?: RunError;
  logs: PlannedLog[];
}

export type FalTask = Task<FalTaskData>;

export type Outcome =
  | { kind: "ok"; plan: OutputPlan }
  | { kind: "error"; error: RunError }
  | { kind: "cancelled" };

export function runErrorOf(answer: ErrorAnswer): RunError {
  const body = answer.body as { detail?: unknown; error_type?: string };
  if (Array.isArray(body.detail)) {
    const first = body.detail[0] as { type?: string; msg?: string } | undefined;
    return { answer, errorType: first?.type ?? "value_error", message: first?.msg ?? "Invalid input" };
  }
  return { answer, errorType: body.error_type ?? "internal_error", message: String(body.detail ?? "Error") };
}

export function outcomeOf(task: FalTask, view: TaskView): Outcome {
  if (view.failureReason === "cancelled") return { kind: "cancelled" };
  if (view.state === succeeded && task.data.plan) return { kind: "ok", plan: task.data.plan };
  // A failure forced by the admin API on a run planned to succeed has no error of its own.
  return { kind: "error", error: task.data.runError ?? runErrorOf(infraError("internal_error")) };
}

function runWindow(task: FalTask): { startAt: number; runMs: number } | undefined {
  if (task.stages.length < 2) return undefined;
  return { startAt: task.createdAt + task.stages[0]!.durationMs, runMs: task.stages[1]!.durationMs };
}

function logsUntil(task: FalTask, elapsedMs: number): RequestLog[] {
  const window = runWindow(task);
  if (!window) return [];
  return task.data.logs
    .filter((log) => log.at * window.runMs <= elapsedMs)
    .map((log) => ({
      message: log.message,
      level: log.level,
      source: "USER" as const,
      timestamp: new Date(window.startAt + Math.round(log.at * window.runMs)).toISOString(),
    }));
}

/** How far the run got before it was cancelled (ms), or undefined if it never started. */
function ranBeforeCancel(task: FalTask): number | undefined {
  const window = runWindow(task);
  if (!window || task.cancelledAt === undefined || task.cancelledAt <= window.startAt) return undefined;
  return Math.min(window.runMs, task.cancelledAt - window.startAt);
}

function finalLogs(task: FalTask, outcome: Outcome): RequestLog[] {
  if (outcome.kind !== "cancelled") return logsUntil(task, Number.POSITIVE_INFINITY);
  const ran = ranBeforeCancel(task);
  if (ran === undefined) return [];
  return [
    ...logsUntil(task, ran),
    {
      message: "Cancellation requested; stopping the run.",
      level: "WARN",
      source: "USER",
      timestamp: new Date(task.cancelledAt!).toISOString(),
    },
  ];
}

function inferenceTime(task: FalTask, outcome: Outcome): number | null {
  const ms = outcome.kind === "cancelled" ? ranBeforeCancel(task) : runWindow(task)?.runMs;
  return ms === undefined ? null : Math.round(ms) / 1000;
}

function queuePosition(task: FalTask, view: TaskView): number {
  const initial = task.data.queuePosition;
  if (!Number.isFinite(view.stageMs) || view.stageMs <= 0) return initial;
  const remaining = Math.max(0, 1 - view.inStageMs / view.stageMs);
  return Math.min(initial, Math.round(initial * remaining));
}

/** The status object for a view (the same objects the SSE stream sends). */
export function wireStatus(task: FalTask, view: TaskView, withLogs: boolean): QueueStatus {
  const base = {
    request_id: task.id,
    response_url: task.data.urls.response,
    status_url: task.data.urls.status,
    cancel_url: task.data.urls.cancel,
  };
  if (!view.terminal && view.state === "IN_QUEUE")
    return { status: "IN_QUEUE", ...base, queue_position: queuePosition(task, view) };
  if (!view.terminal)
    return { status: "IN_PROGRESS", ...base, logs: withLogs ? logsUntil(task, view.inStageMs) : null };
  const outcome = outcomeOf(task, view);
  return {
    status: "COMPLETED",
    ...base,
    logs: withLogs ? finalLogs(task, outcome) : null,
    metrics: { inference_time: inferenceTime(task, outcome) },
    ...(outcome.kind === "error"
      ? { error: outcome.error.message, error_type: outcome.error.errorType }
      : {}),
    ...(outcome.kind === "cancelled"
      ? { error: "Request was cancelled.", error_type: "request_cancelled" }
      : {}),
  };
}
