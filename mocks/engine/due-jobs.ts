/**
 * The replicas' share of the store's due queue: every replica asks for due jobs every 0.1 s and
 * hands each one to the runner of its kind (task transitions, webhook attempts). A job is
 * leased to one replica; one whose replica died comes due again when its lease ends.
 */
import type { Clock } from "../../src/core/clock.ts";
import { type StateStore, StoreUnavailableError } from "./store/state-store.ts";

/** How long a replica holds a taken job before another may take it (it died, or stalled). */
export const jobLeaseMs = 5_000;
/** How often each replica asks for due jobs. */
export const pumpIntervalMs = 100;
/** How often (wall time) a job on a virtual clock is looked at until its time comes. */
const virtualRecheckMs = 200;

/** Runs one taken job: acknowledges it, queues it again, or leaves it for its lease to end. */
export type JobRunner = (id: string, payload: string) => Promise<void>;

/** A job id in a kind's own namespace: `<kind>\0<part>\0<part>…`. */
export function dueJobId(kind: string, ...parts: string[]): string {
  return [kind, ...parts].join("\u0000");
}

export class DueJobs {
  readonly #store: StateStore;
  readonly #runners = new Map<string, JobRunner>();
  #timer: NodeJS.Timeout | undefined;
  #pumping: Promise<void> | undefined;

  constructor(store: StateStore) {
    this.#store = store;
  }

  /** Takes the jobs whose id starts with `kind` (see `dueJobId`). */
  handle(kind: string, run: JobRunner): void {
    this.#runners.set(kind, run);
  }

  /** Starts taking due jobs (every replica does; each job goes to one). */
  start(): void {
    this.#timer ??= setInterval(() => {
      this.#pumping ??= this.#pump().finally(() => {
        this.#pumping = undefined;
      });
    }, pumpIntervalMs);
    this.#timer.unref();
  }

  async stop(): Promise<void> {
    clearInterval(this.#timer);
    this.#timer = undefined;
    await this.#pumping;
  }

  async #pump(): Promise<void> {
    let jobs: Awaited<ReturnType<StateStore["takeDue"]>>;
    try {
      jobs = await this.#store.takeDue(Date.now(), jobLeaseMs, 20);
    } catch {
      // The store is away: jobs wait there (leased ones come back) until it returns.
      return;
    }
    for (const job of jobs) {
      const kind = job.id.slice(0, job.id.indexOf("\u0000"));
      try {
        // A kind this replica does not run (a newer replica's) comes back when its lease ends.
        await this.#runners.get(kind)?.(job.id, job.payload);
      } catch (error) {
        // The store is away: the rest of the batch would only wait on it too; all come back
        // when their leases end. A job's own failure leaves the rest of the batch to run now.
        if (error instanceof StoreUnavailableError) return;
      }
    }
  }
}

/**
 * The due queue runs on wall-clock time. A namespace on a virtual clock (moved by the admin API
 * or a test) has its job looked at again every 0.2 s of wall time, to follow any jump soon.
 */
export function wallTimeOf(clock: Clock, at: number): number {
  const now = clock.now();
  const wall = Date.now();
  const delay = Math.max(0, at - now);
  return Math.abs(now - wall) < 1_000 ? wall + delay : wall + Math.min(delay, virtualRecheckMs);
}
