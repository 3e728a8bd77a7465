/**
 * The `server` suite's rows: throughput and memory of ours against servers measured in the same
 * rounds, and the cold-start comparison (spawn → first 200).
 */
import type { LoadResult } from "../lib/load.ts";
import { formatNumber, type Goal, type Row } from "../lib/report.ts";
import { median } from "../lib/stats.ts";
import { launch, type TargetName } from "./server-targets.ts";

export interface Measured {
  name: TargetName;
  runs: LoadResult[];
  peakRssKb: number;
}

const rps = (m: Measured) => median(m.runs.map((r) => r.okPerSec));
/** Median over rounds of a/b, each pair measured back to back. */
const pairedRatio = (a: Measured, b: Measured) =>
  median(a.runs.map((r, i) => r.okPerSec / b.runs[i]!.okPerSec));

export function throughputRows(
  scenario: string,
  measured: Measured[],
  goals: Array<{ vs: TargetName; goal?: Goal }>,
): Row[] {
  const [first] = measured;
  const rows: Row[] = [];
  const metric = "2xx req/s (median of rounds)";
  for (const { vs, goal } of goals) {
    const other = measured.find((m) => m.name === vs);
    if (!first || !other) continue;
    rows.push({
      scenario,
      subject: first.name,
      metric,
      value: rps(first),
      unit: "req/s",
      anchor: `${vs} ${formatNumber(rps(other))} req/s`,
      ratio: pairedRatio(first, other),
      ...(goal ? { goal } : {}),
    });
  }
  return rows;
}

/** One row: ours' peak RSS under a load, against the other servers' peaks in the same rounds. */
export function rssRow(scenario: string, measured: Measured[], vs: TargetName, goal?: Goal): Row {
  const mb = (m: Measured) => `${formatNumber(m.peakRssKb / 1024)} MB`;
  const ours = measured.find((m) => m.name === "ours")!;
  const anchor = measured.find((m) => m.name === vs)!;
  const others = measured.filter((m) => m !== ours && m !== anchor).map((m) => `${m.name} ${mb(m)}`);
  return {
    scenario,
    subject: "ours",
    metric: "VmRSS peak (sampled every 100 ms)",
    value: ours.peakRssKb / 1024,
    unit: "MB",
    anchor: `${vs} ${mb(anchor)}${others.length > 0 ? ` (${others.join(", ")})` : ""}`,
    ratio: ours.peakRssKb / anchor.peakRssKb,
    ...(goal ? { goal } : {}),
  };
}

export function describe(scenario: string, measured: Measured[]): string {
  const parts = measured.map((m) => {
    const non2xx = m.runs.reduce((n, r) => n + r.non2xx, 0);
    const errors = m.runs.reduce((n, r) => n + r.errors, 0);
    const p50 = median(m.runs.map((r) => r.p50Ms));
    const p99 = median(m.runs.map((r) => r.p99Ms));
    return `${m.name} p50 ${p50} ms / p99 ${p99} ms, ${non2xx} non-2xx, ${errors} errors, peak RSS ${Math.round(m.peakRssKb / 1024)} MB`;
  });
  return `${scenario}: ${parts.join("; ")}.`;
}

export async function startupRows(options: { starts: number }, log: (line: string) => void): Promise<Row[]> {
  const times: Record<"ours" | "Prism" | "bare", number[]> = { ours: [], Prism: [], bare: [] };
  // Interleaved too: ours, Prism, bare, ours, Prism, bare, …; each stopped before the next starts.
  for (let i = 0; i < options.starts; i++) {
    for (const name of ["ours", "Prism", "bare"] as const) {
      const { target, readyMs } = await launch(name);
      await target.process.stop();
      times[name].push(readyMs);
      log(`server: cold start ${i + 1}/${options.starts} ${name}: ${Math.round(readyMs)} ms`);
    }
  }
  const ours = median(times.ours);
  const prism = median(times.Prism);
  const scenario = "spawn → first 200";
  const metric = `ms (median of ${options.starts})`;
  return [
    {
      scenario,
      subject: "ours",
      metric,
      value: ours,
      unit: "ms",
      anchor: `Prism ${formatNumber(prism)} ms (bare node + tsx ${formatNumber(median(times.bare))} ms)`,
      ratio: prism / ours,
      goal: { kind: "value-below", max: 300 },
    },
  ];
}
