/**
 * A short soak (the long one is `npm run soak`): the standalone server in a child process with a
 * task cap small enough to reach steady state in seconds, driven by six workers through every
 * provider's flows with scenarios on a share of them. Nothing unexpected may happen, every task
 * within the cap stays retrievable, every webhook ends delivered or given up with all its
 * attempts, and RSS at the end is at most 15 % above RSS after warm-up. The figures are printed.
 */
import { describe, expect, it } from "vitest";
import { formatReport, runSoak } from "../../scripts/lib/soak-run.ts";

describe("soak (short)", () => {
  it("12 s of every provider's flows: nothing unexpected, tasks and webhooks settled, memory flat", async () => {
    const report = await runSoak({
      durationS: Number(process.env.SOAK_SECONDS ?? 12),
      workers: 6,
      namespaces: 1,
      // Small enough to fill in a few seconds even when the rest of the suite loads the machine
      // to a quarter of its quiet throughput (the cap must engage for the eviction checks).
      maxTasks: 250,
      warmup: 0.5,
      seed: 7,
    });
    console.log(formatReport(report));
    expect(report.failures).toEqual([]);
    expect(report.unexpected).toEqual({});
    // Enough traffic for the checks below to mean something; throughput is the bench's business.
    expect(report.requests).toBeGreaterThan(1_000);
    expect(Object.keys(report.flows).sort()).toEqual([
      "chainhub",
      "fal-queue",
      "fal-sync",
      "freepik",
      "ideogram",
      "onemin",
    ]);
    // Each scenario did fire, and was answered the provider's way.
    const kinds = Object.keys(report.expected).join(" ");
    for (const scenario of ["flaky", "rate-limited", "task-failure"]) expect(kinds).toContain(scenario);
    // The cap engaged (old tasks pushed out) while every task within it still answered.
    expect(report.tasks.evicted).toBeGreaterThan(0);
    expect(report.tasks.notRetrievable).toBe(0);
    expect(report.webhooks.delivered).toBeGreaterThan(0);
    expect(report.webhooks.gaveUp).toBeGreaterThan(0);
    expect(report.webhooks.unsettled).toBe(0);
    expect(report.rss.storesFull).toBe(true);
    expect(report.rss.growthPct).toBeLessThanOrEqual(15);
  }, 120_000);
});
