/** What a task is: its planned lifecycle, its fate, and what it has been seen to do. */
import type { ProviderId } from "./faults.ts";

export interface Stage {
  state: string;
  durationMs: number;
}

export type Fate = { kind: "success" } | { kind: "failure"; reason: string } | { kind: "stuck" };

export type Progress = "time" | "polls";

export interface TaskInit<Data> {
  id: string;
  provider: ProviderId;
  operation: string;
  /** Non-terminal states in order, with how long each lasts. */
  stages: Stage[];
  success: string;
  failure: string;
  /**
   * Non-terminal states the task never reaches on its own but that may be forced (the admin API,
   * contract states): one a provider is reported to show outside its documented lifecycle.
   */
  forceOnly?: string[];
  fate: Fate;
  /** How long a finished task stays retrievable (ms). */
  retentionMs: number;
  data: Data;
}

export interface Task<Data = unknown> extends TaskInit<Data> {
  namespace: string;
  createdAt: number;
  polls: number;
  /** State forced by the admin API, from that time on. */
  forced?: { state: string; at: number; reason?: string };
  cancelledAt?: number;
  /** When a poll-driven task reached its terminal state. */
  finishedAt?: number;
  lastState: string;
  /** Each state the task was seen to enter and when (the dashboard's timeline draws it). */
  history: StateEntry[];
}

export interface StateEntry {
  state: string;
  at: number;
}

/** Every state a task can show: its force-only states, its stages, then success and failure. */
export function taskStates(task: Task): string[] {
  return [...(task.forceOnly ?? []), ...task.stages.map((s) => s.state), task.success, task.failure];
}

export interface TaskView {
  state: string;
  terminal: boolean;
  /** Index into stages; `stages.length` once terminal. */
  stageIndex: number;
  /** ms spent in the current stage and its planned length (0 when terminal). */
  inStageMs: number;
  stageMs: number;
  /** When the task finished (or will, if it succeeds as planned). */
  finishesAt: number;
  failureReason?: string;
}
