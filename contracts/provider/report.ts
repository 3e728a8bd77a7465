/** The drift report: which interactions passed, failed (with field-level differences) or were skipped. */
import type { VerificationReport } from "./verify.ts";

export function formatReport(report: VerificationReport): string {
  const lines = [`Drift report: ${report.provider} against the ${report.target}`];
  const count = (status: string) => report.outcomes.filter((o) => o.status === status).length;
  for (const outcome of report.outcomes) {
    const mark = outcome.status === "passed" ? "✓" : outcome.status === "failed" ? "✗" : "-";
    const given = outcome.states.length > 0 ? ` (given ${outcome.states.join(", ")})` : "";
    lines.push(`  ${mark} ${outcome.description}${given}`);
    if (outcome.status === "skipped") lines.push(`      skipped: ${outcome.reason}`);
    for (const m of outcome.mismatches ?? []) {
      const where = m.path ? `${m.path}: ` : "";
      const values =
        m.expected !== undefined || m.actual !== undefined
          ? ` (expected ${m.expected ?? "—"}, got ${m.actual ?? "—"})`
          : "";
      lines.push(`      ${m.type} ${where}${m.message}${values}`);
    }
  }
  lines.push(
    `  ${count("passed")} passed, ${count("failed")} failed, ${count("skipped")} skipped` +
      (report.ok ? "" : ": the provider has drifted from the contract"),
  );
  return lines.join("\n");
}
