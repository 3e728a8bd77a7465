/**
 * The server's memory as the soak reads it: RSS every second, and a quiet reading taken in the
 * same condition after warm-up and at the end, so the two compare. Under load RSS swings by tens
 * of MB with GC; live memory is what a leak grows.
 */
import { memoryKb } from "./child.ts";
import { MB, median } from "./soak-report.ts";

/** How long a quiet reading waits, at most, for RSS to stop falling. */
const settleMs = 6_000;

export class RssProbe {
  /** RSS in bytes, one a second. */
  readonly samples: number[] = [];
  #sampler: ReturnType<typeof setInterval> | undefined;

  /** `gcOnSignal`: the server collects its garbage on SIGUSR2 (the soak server; not the CLI). */
  constructor(
    readonly pid: number,
    readonly gcOnSignal: boolean,
  ) {}

  /** The child's RSS in bytes. */
  read(): number {
    const kb = memoryKb(this.pid);
    if (kb === undefined) throw new Error("Failed to read the server's RSS.");
    return kb * 1024;
  }

  start(): void {
    this.#sampler = setInterval(() => {
      try {
        this.samples.push(this.read());
      } catch {}
    }, 1_000);
  }

  stop(): void {
    clearInterval(this.#sampler);
  }

  /**
   * RSS with the workers paused: the server collects its garbage (the soak server on SIGUSR2,
   * the CLI once V8's memory reducer runs after some 8 s idle), then RSS is read once it has
   * stopped falling as freed pages are given back (at most `settleMs` more).
   */
  async quiet(): Promise<number> {
    if (this.gcOnSignal) process.kill(this.pid, "SIGUSR2");
    const samples: number[] = [];
    await new Promise((resolve) => setTimeout(resolve, this.gcOnSignal ? 500 : 10_000));
    const until = performance.now() + settleMs;
    while (performance.now() < until) {
      samples.push(this.read());
      const last = samples.slice(-4);
      if (last.length === 4 && Math.max(...last) - Math.min(...last) < MB) break;
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    return median(samples.slice(-4));
  }
}
