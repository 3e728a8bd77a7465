/**
 * The one source of time for the simulators and the client. Every delay, task duration, poll
 * interval, retry backoff and webhook retry reads a Clock, so tests can run minutes of provider
 * time in milliseconds on a VirtualClock while the server uses the RealClock.
 */
export interface Clock {
  /** Milliseconds since the Unix epoch, as this clock sees it. */
  now(): number;
  /** Resolves after `ms` of this clock's time; rejects with the signal's reason on abort. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
  /** Runs `fn` after `ms`; returns a function that cancels it. */
  schedule(ms: number, fn: () => void): () => void;
}

function abortError(signal: AbortSignal): unknown {
  return signal.reason ?? new DOMException("This operation was aborted", "AbortError");
}

/** Wraps a schedule() in an abortable promise: shared by both clocks so abort behaves alike. */
function sleepWith(clock: Clock, ms: number, signal?: AbortSignal): Promise<void> {
  if (signal?.aborted) return Promise.reject(abortError(signal));
  return new Promise((resolve, reject) => {
    const onAbort = () => {
      cancel();
      reject(abortError(signal!));
    };
    const cancel = clock.schedule(ms, () => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    });
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}

/**
 * Wall-clock time. Reads `Date.now` and `setTimeout` at call time (not at import), so vitest's
 * fake timers drive it when a test installs them.
 */
export class RealClock implements Clock {
  readonly kind = "real";
  now(): number {
    return Date.now();
  }
  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    return sleepWith(this, ms, signal);
  }
  schedule(ms: number, fn: () => void): () => void {
    const timer = setTimeout(fn, Math.max(0, ms));
    timer.unref?.();
    return () => clearTimeout(timer);
  }
}

interface Timer {
  at: number;
  seq: number;
  fn: () => void;
}

export interface VirtualClockOptions {
  /** Start time in epoch ms (default: a fixed date, so runs are reproducible). */
  start?: number;
  /**
   * Jump to the next timer on its own whenever the process is otherwise idle (after a
   * macrotask turn). This lets code that awaits clock.sleep() run to completion without a test
   * calling advance(); real I/O still happens in real time.
   */
  autoAdvance?: boolean;
}

/** Time that moves only when told to (advance, runUntilIdle) or, with autoAdvance, when idle. */
export class VirtualClock implements Clock {
  readonly kind = "virtual";
  #now: number;
  #seq = 0;
  #timers: Timer[] = [];
  #autoAdvance: boolean;
  #autoPending = false;

  constructor(options: VirtualClockOptions = {}) {
    this.#now = options.start ?? Date.UTC(2026, 0, 1);
    this.#autoAdvance = options.autoAdvance ?? false;
  }

  now(): number {
    return this.#now;
  }

  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    return sleepWith(this, ms, signal);
  }

  schedule(ms: number, fn: () => void): () => void {
    const timer: Timer = { at: this.#now + Math.max(0, ms), seq: this.#seq++, fn };
    // Insert keeping (at, seq) order: timers fire in due order, ties in creation order.
    let index = this.#timers.length;
    while (index > 0 && this.#timers[index - 1]!.at > timer.at) index--;
    this.#timers.splice(index, 0, timer);
    this.#kickAutoAdvance();
    return () => {
      const at = this.#timers.indexOf(timer);
      if (at >= 0) this.#timers.splice(at, 1);
    };
  }

  /** Whether this clock jumps to its next timer on its own when the process is idle. */
  get autoAdvance(): boolean {
    return this.#autoAdvance;
  }

  /** How many timers are waiting. */
  get pending(): number {
    return this.#timers.length;
  }

  /** Moves time forward by `ms`, firing every timer that falls due, each after pending microtasks. */
  async advance(ms: number): Promise<void> {
    const target = this.#now + Math.max(0, ms);
    await flushMicrotasks();
    while (this.#timers.length > 0 && this.#timers[0]!.at <= target) {
      const timer = this.#timers.shift()!;
      this.#now = Math.max(this.#now, timer.at);
      timer.fn();
      await flushMicrotasks();
    }
    this.#now = target;
  }

  /**
   * Fires timers in order until none is left (timers created meanwhile included), up to
   * `maxTimers` as a guard against code that reschedules itself forever.
   */
  async runUntilIdle(maxTimers = 100_000): Promise<void> {
    await flushMicrotasks();
    for (let fired = 0; this.#timers.length > 0; fired++) {
      if (fired >= maxTimers) {
        throw new Error(
          `Failed to reach idle: more than ${maxTimers} timers fired. Something reschedules itself forever; advance() a bounded time instead.`,
        );
      }
      const timer = this.#timers.shift()!;
      this.#now = Math.max(this.#now, timer.at);
      timer.fn();
      await flushMicrotasks();
    }
  }

  #kickAutoAdvance(): void {
    if (!this.#autoAdvance || this.#autoPending) return;
    this.#autoPending = true;
    // setImmediate runs after pending I/O callbacks, so a timer only fires early in wall terms
    // when nothing else is ready to run.
    setImmediate(() => {
      this.#autoPending = false;
      const next = this.#timers.shift();
      if (!next) return;
      this.#now = Math.max(this.#now, next.at);
      next.fn();
      if (this.#timers.length > 0) this.#kickAutoAdvance();
    });
  }
}

async function flushMicrotasks(): Promise<void> {
  for (let i = 0; i < 10; i++) await Promise.resolve();
}

export type AnyClock = RealClock | VirtualClock;
