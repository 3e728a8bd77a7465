/** What a soak is asked to do, what it reports, and the report as text. */

export interface SoakOptions {
  durationS: number;
  workers: number;
  /** Namespaces the workers share (worker i uses namespace i mod this; default 2). */
  namespaces?: number;
  /**
   * The server's task cap per namespace. Unset: the CLI (`upscale-harness mock`, cap 10 000);
   * set: the same server started through scripts/lib/soak-server.ts with this cap, so a
   * short soak reaches its steady state.
   */
  maxTasks?: number;
  /**
   * Share of the run before the RSS baseline is taken, at the earliest: the baseline waits until
   * every namespace has accepted a task cap's worth of tasks (the stores are full; until then
   * memory grows by design), but no longer than three quarters of the run.
   */
  warmup: number;
  seed: number;
  /** Progress lines (default: none). */
  log?: (line: string) => void;
}

export interface SoakReport {
  durationS: number;
  workers: number;
  requests: number;
  ratePerS: number;
  flows: Record<string, number>;
  /** Errors the scenarios asked for, by kind (e.g. `flaky: fal 503`). */
  expected: Record<string, number>;
  /** Everything else, by kind, with a sample answer each. */
  unexpected: Record<string, { count: number; sample: string }>;
  latencyMs: { p50: number; p99: number; max: number };
  rss: {
    samples: number[];
    afterWarmupMB: number;
    endMB: number;
    growthPct: number;
    maxMB: number;
    /** When the baseline was read (s into the run), and whether every task store was full by then. */
    baselineAtS: number;
    storesFull: boolean;
  };
  /** `evicted`: pushed out by the task cap (oldest finished first), which the check allows. */
  tasks: { accepted: number; retrievable: number; evicted: number; notRetrievable: number; cap: number };
  /**
   * `total`/`delivered`/`gaveUp`/`unsettled`: the deliveries the admin API still lists (the newest
   * 1 000 finished per namespace, and every pending one); `sent`/`acknowledged`: distinct
   * deliveries that reached the receiver, and how many it answered 2xx; `attempts`: requests it got.
   */
  webhooks: {
    total: number;
    delivered: number;
    gaveUp: number;
    unsettled: number;
    sent: number;
    acknowledged: number;
    attempts: number;
  };
  failures: string[];
}

export const MB = 1024 * 1024;

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

export const median = (values: number[]) =>
  [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0;

export function formatReport(r: SoakReport): string {
  const lines = [
    `soak: ${r.durationS} s, ${r.workers} workers, ${r.requests} requests (${r.ratePerS}/s)`,
    `  flows:        ${Object.entries(r.flows)
      .map(([k, v]) => `${k} ${v}`)
      .join(", ")}`,
    `  latency:      p50 ${r.latencyMs.p50} ms, p99 ${r.latencyMs.p99} ms, max ${r.latencyMs.max} ms`,
    `  expected:     ${
      Object.entries(r.expected)
        .map(([k, v]) => `${k} ×${v}`)
        .join(", ") || "none"
    }`,
    `  unexpected:   ${
      Object.entries(r.unexpected)
        .map(([k, v]) => `${k} ×${v.count} (${v.sample})`)
        .join(", ") || "none"
    }`,
    `  tasks:        ${r.tasks.accepted} accepted: ${r.tasks.retrievable} retrievable in a final state, ${r.tasks.evicted} pushed out by the cap (${r.tasks.cap} per namespace), ${r.tasks.notRetrievable} missing`,
    `  webhooks:     ${r.webhooks.sent} deliveries reached the receiver (${r.webhooks.acknowledged} acknowledged, ${r.webhooks.attempts} attempts); listed at the end: ${r.webhooks.total}: ${r.webhooks.delivered} delivered, ${r.webhooks.gaveUp} given up after all attempts, ${r.webhooks.unsettled} unsettled`,
    `  RSS:          ${r.rss.afterWarmupMB} MB after warm-up (at ${r.rss.baselineAtS} s, task stores ${r.rss.storesFull ? "full" : "NOT yet full"}), ${r.rss.endMB} MB at the end (${r.rss.growthPct >= 0 ? "+" : ""}${r.rss.growthPct} %), max ${r.rss.maxMB} MB`,
    `  RSS (1/s):    ${r.rss.samples.join(" ")}`,
  ];
  if (r.failures.length > 0) lines.push(...r.failures.map((f) => `  FAILED: ${f}`));
  return lines.join("\n");
}
