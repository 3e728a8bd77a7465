/**
 * The one poll loop. Waits grow with jitter up to a cap, a provider's Retry-After wins, the
 * caller's deadline (on the Clock) bounds everything, an AbortSignal stops it at any point, and
 * on timeout or abort the job is cancelled where the provider can cancel (best effort). Progress
 * events say queued (with position), running (with new log lines) and done.
 */
import type { Clock } from "./clock.ts";
import { TimeoutError } from "./errors.ts";
import { abortReason } from "./signals.ts";
import type { LogLine, OperationStatus, ProgressEvent, ProviderId } from "./types.ts";

export interface PollPolicy {
  /** Wait before the first look (default 1 000 ms). */
  initialDelayMs: number;
  /** Cap on the wait between looks (default 10 000 ms). */
  maxDelayMs: number;
  /** Growth per look (default 1.5). */
  factor: number;
  /** Relative jitter, ±20 % is 0.2. */
  jitter: number;
  /** Overall limit of an upscale, start to result, on the clock (default 10 min). */
  timeoutMs: number;
}

export const defaultPollPolicy: PollPolicy = {
  initialDelayMs: 1_000,
  maxDelayMs: 10_000,
  factor: 1.5,
  jitter: 0.2,
  timeoutMs: 10 * 60_000,
};

export type PollStep<T> = { done: true; value: T } | { done: false; retryAfterMs?: number; note?: string };

export interface PollArgs<T> {
  clock: Clock;
  policy: PollPolicy;
  /** Clock time (epoch ms) at which the caller's overall limit runs out. */
  deadline: number;
  signal?: AbortSignal;
  random?: () => number;
  /** "<provider> task 1234": used in messages. */
  what: string;
  provider: ProviderId;
  taskId?: string;
  /** One look; `note` on a not-done step says where the job is, for the timeout message. */
  check(signal: AbortSignal | undefined): Promise<PollStep<T>>;
  /** Best-effort cancel on timeout or abort (providers that can cancel); errors are swallowed. */
  cancel?(): Promise<unknown>;
  /** Extra words for the timeout message, e.g. a likely cause. */
  timeoutHint?: (note: string | undefined) => string | undefined;
}

/** The jittered wait after `looks` looks. */
export function pollDelay(looks: number, policy: PollPolicy, random: () => number = Math.random): number {
  const raw = Math.min(policy.maxDelayMs, policy.initialDelayMs * policy.factor ** Math.max(0, looks));
  const spread = raw * policy.jitter;
  return Math.max(0, Math.round(raw - spread + 2 * spread * random()));
}

async function bestEffortCancel(cancel: (() => Promise<unknown>) | undefined): Promise<boolean> {
  if (!cancel) return false;
  try {
    await cancel();
    return true;
  } catch {
    return false;
  }
}

export async function pollUntil<T>(args: PollArgs<T>): Promise<T> {
  const { clock, policy, signal } = args;
  const started = clock.now();
  let looks = 0;
  let note: string | undefined;
  let wait = Math.min(pollDelay(0, { ...policy, jitter: 0 }), Math.max(0, args.deadline - started));
  for (;;) {
    try {
      if (wait > 0) await clock.sleep(wait, signal);
      if (signal?.aborted) throw abortReason(signal);
      if (clock.now() >= args.deadline) break;
      const step = await args.check(signal);
      looks++;
      if (step.done) return step.value;
      note = step.note ?? note;
      const next = step.retryAfterMs ?? pollDelay(looks, policy, args.random);
      const remaining = args.deadline - clock.now();
      if (remaining <= 0) break;
      wait = Math.min(Math.max(next, 0), remaining);
    } catch (error) {
      if (signal?.aborted) {
        await bestEffortCancel(args.cancel);
        throw abortReason(signal);
      }
      throw error;
    }
  }
  const cancelled = await bestEffortCancel(args.cancel);
  const limit = args.deadline - started;
  const hint = args.timeoutHint?.(note);
  throw new TimeoutError(
    `Failed to finish ${args.what} within ${formatMs(limit)}: it was still ${note ?? "running"}${
      cancelled ? " and has been cancelled" : ""
    }.${hint ? ` ${hint}` : ""} Raise timeoutMs, or keep the handle and call status() later.`,
    {
      provider: args.provider,
      timeoutMs: limit,
      scope: "operation",
      ...(args.taskId ? { taskId: args.taskId } : {}),
    },
  );
}

export function formatMs(ms: number): string {
  if (ms < 1_000) return `${Math.round(ms)} ms`;
  if (ms < 120_000) return `${Math.round(ms / 100) / 10} s`;
  return `${Math.round(ms / 6_000) / 10} min`;
}

/** Turns successive statuses into progress events, each state once and only new log lines. */
export class ProgressTracker {
  #state: string | undefined;
  #position: number | undefined;
  #logCount = 0;

  constructor(
    private readonly emit: ((event: ProgressEvent) => void) | undefined,
    private readonly provider: ProviderId,
    private readonly id: string,
  ) {}

  update(status: Pick<OperationStatus, "state" | "queuePosition" | "logs">): void {
    if (!this.emit) return;
    const { state } = status;
    if (state === "queued") {
      if (this.#state !== "queued" || this.#position !== status.queuePosition) {
        this.emit({
          type: "queued",
          provider: this.provider,
          id: this.id,
          ...(status.queuePosition !== undefined ? { position: status.queuePosition } : {}),
        });
      }
      this.#position = status.queuePosition;
    } else if (state === "running") {
      const logs: LogLine[] = status.logs?.slice(this.#logCount) ?? [];
      if (this.#state !== "running" || logs.length > 0) {
        this.emit({ type: "running", provider: this.provider, id: this.id, logs });
      }
      this.#logCount = Math.max(this.#logCount, status.logs?.length ?? 0);
    } else if (this.#state !== state) {
      this.emit({ type: "done", provider: this.provider, id: this.id, state });
    }
    this.#state = state;
  }
}
