/**
 * Benchmark rows and their markdown table. A row is one measured value, optionally compared
 * with an anchor measured in the same run (the ratio), and optionally held to a goal. Goals are
 * on ratios where the machine's speed cancels out; the few absolute ones say so.
 */

export type Goal =
  /** The row's ratio must be at least `min` (e.g. ours ≥ 10x Prism). */
  | { kind: "ratio-at-least"; min: number }
  /** The row's value must stay below `max` (in the row's unit). */
  | { kind: "value-below"; max: number };

export interface Row {
  scenario: string;
  /** What was measured: a server, a transport, a code path. */
  subject: string;
  metric: string;
  value: number;
  unit: string;
  /** What the ratio is against, e.g. "Prism" or "virtual time". */
  anchor?: string;
  /** value / anchor (or the reverse where smaller is better; the metric says which). */
  ratio?: number;
  goal?: Goal;
  /** Set instead of numbers when a measurement could not be made. */
  skipped?: string;
}

export interface SuiteResult {
  name: string;
  title: string;
  rows: Row[];
  notes: string[];
}

export type Verdict = { met: boolean; margin: number } | undefined;

/** Whether the row meets its goal, and by what factor it beats (>1) or misses (<1) it. */
export function verdict(row: Row): Verdict {
  if (!row.goal || row.skipped) return undefined;
  if (row.goal.kind === "ratio-at-least") {
    if (row.ratio === undefined || !Number.isFinite(row.ratio)) return { met: false, margin: 0 };
    return { met: row.ratio >= row.goal.min, margin: row.ratio / row.goal.min };
  }
  return { met: row.value < row.goal.max, margin: row.value > 0 ? row.goal.max / row.value : Infinity };
}

export function goalText(goal: Goal | undefined, unit: string): string {
  if (!goal) return "";
  return goal.kind === "ratio-at-least" ? `≥ ${goal.min}x` : `< ${formatNumber(goal.max)} ${unit}`;
}

/** 3 significant figures, thousands separated. */
export function formatNumber(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  const abs = Math.abs(value);
  const digits = abs >= 100 ? 0 : abs >= 10 ? 1 : abs >= 1 ? 2 : 3;
  return value.toLocaleString("en-US", { maximumFractionDigits: digits, minimumFractionDigits: 0 });
}

export function formatRatio(ratio: number | undefined): string {
  if (ratio === undefined) return "";
  if (!Number.isFinite(ratio)) return String(ratio);
  return `${ratio >= 100 ? Math.round(ratio).toLocaleString("en-US") : ratio.toFixed(2)}x`;
}

function resultText(row: Row): string {
  if (row.skipped) return "skipped";
  const v = verdict(row);
  if (!v) return "";
  return v.met
    ? `met (${v.margin.toFixed(1)}x margin)`
    : `**missed** (${(v.margin * 100).toFixed(0)}% of goal)`;
}

const escapeCell = (text: string) => text.replace(/\|/g, "\\|");

export function renderTable(result: SuiteResult): string {
  const header = ["scenario", "subject", "metric", "value", "vs", "ratio", "goal", "result"];
  const lines = [`| ${header.join(" | ")} |`, `|${header.map(() => " --- ").join("|")}|`];
  for (const row of result.rows) {
    const cells = row.skipped
      ? [row.scenario, row.subject, row.metric, "—", "", "", goalText(row.goal, row.unit), "skipped"]
      : [
          row.scenario,
          row.subject,
          row.metric,
          `${formatNumber(row.value)} ${row.unit}`.trim(),
          row.anchor ?? "",
          formatRatio(row.ratio),
          goalText(row.goal, row.unit),
          resultText(row),
        ];
    lines.push(`| ${cells.map(escapeCell).join(" | ")} |`);
  }
  const notes = result.notes.map((note) => `- ${note}`);
  return [lines.join("\n"), ...(notes.length > 0 ? ["", ...notes] : [])].join("\n");
}

/** One line per goal: met or missed, for the end of a run. */
export function summarize(results: SuiteResult[]): string[] {
  const lines: string[] = [];
  for (const result of results) {
    for (const row of result.rows) {
      const v = verdict(row);
      if (row.skipped && row.goal) lines.push(`skipped  ${result.name}: ${row.scenario} (${row.skipped})`);
      if (!v) continue;
      const measured =
        row.goal?.kind === "ratio-at-least"
          ? `${formatRatio(row.ratio)} vs ${row.anchor ?? "anchor"}`
          : `${formatNumber(row.value)} ${row.unit}`;
      lines.push(
        `${v.met ? "met   " : "MISSED"}  ${result.name}: ${row.scenario} · ${row.subject}: ${measured} (goal ${goalText(row.goal, row.unit)})`,
      );
    }
  }
  return lines;
}
