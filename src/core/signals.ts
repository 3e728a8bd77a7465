/** AbortSignal plumbing that works on Node 20.0 (no AbortSignal.any) and cleans up after itself. */

export interface LinkedSignal {
  signal: AbortSignal;
  /** Aborts the linked signal with `reason`. */
  abort(reason: unknown): void;
  /** Removes the listeners on the parent signals. */
  dispose(): void;
}

/** A signal that aborts when any of `parents` does (with that parent's reason). */
export function linkSignals(...parents: Array<AbortSignal | undefined>): LinkedSignal {
  const controller = new AbortController();
  const cleanups: Array<() => void> = [];
  for (const parent of parents) {
    if (!parent) continue;
    if (parent.aborted) {
      controller.abort(parent.reason);
      break;
    }
    const onAbort = () => controller.abort(parent.reason);
    parent.addEventListener("abort", onAbort, { once: true });
    cleanups.push(() => parent.removeEventListener("abort", onAbort));
  }
  return {
    signal: controller.signal,
    abort: (reason) => controller.abort(reason),
    dispose: () => {
      for (const cleanup of cleanups.splice(0)) cleanup();
    },
  };
}

export function abortReason(signal: AbortSignal): unknown {
  return signal.reason ?? new DOMException("This operation was aborted", "AbortError");
}

export function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw abortReason(signal);
}

/**
 * A wall-clock guard for one HTTP attempt. It runs on real time on purpose: a virtual clock
 * cannot tell a hung socket from one busy with real I/O, so every *wait* of the client reads the
 * Clock, while this only bounds how long a single connection may stay silent.
 */
export function attemptTimer(ms: number, onTimeout: () => void): () => void {
  if (!Number.isFinite(ms) || ms <= 0) return () => {};
  const timer = setTimeout(onTimeout, ms);
  (timer as { unref?: () => void }).unref?.();
  return () => clearTimeout(timer);
}
