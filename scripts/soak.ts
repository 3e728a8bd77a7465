/**
 * `npm run soak`: drives the standalone server (in a child process) with every provider's flows
 * for a while and checks it stays correct and flat in memory. See scripts/lib/soak-run.ts.
 *
 *   npm run soak -- [--duration 120] [--workers 8] [--namespaces 2] [--warmup 0.3] [--seed 1] [--json]
 *
 * Warm-up is the least share of the run before the RSS baseline, which also waits (up to 3/4 of
 * the run) until the task stores are full; until then memory grows by design. The bounded stores
 * are 10 000 tasks per namespace, 2 000 files, 1 000 journal entries and deliveries per namespace.
 *
 * Exits 1 when an assertion fails (an unexpected error, a task or webhook left unsettled, RSS
 * more than 15 % above its value after warm-up at the end).
 */
import { parseArgs } from "node:util";
import { formatReport, runSoak } from "./lib/soak-run.ts";

const { values } = parseArgs({
  options: {
    duration: { type: "string", default: "120" },
    workers: { type: "string", default: "8" },
    warmup: { type: "string", default: "0.3" },
    namespaces: { type: "string", default: "2" },
    seed: { type: "string", default: "1" },
    json: { type: "boolean", default: false },
  },
});
const options = {
  durationS: Number(values.duration),
  workers: Number(values.workers),
  namespaces: Number(values.namespaces),
  warmup: Number(values.warmup),
  seed: Number(values.seed),
};
if (!(options.durationS > 0 && options.workers > 0 && options.warmup > 0 && options.warmup < 1)) {
  console.error("Failed to start the soak: use --duration S (> 0), --workers N (> 0), --warmup F (0..1).");
  process.exit(2);
}
console.log(
  `soak: ${options.durationS} s with ${options.workers} workers against a child server on loopback…`,
);
const report = await runSoak({ ...options, log: (line) => console.log(line) });
console.log(values.json ? JSON.stringify(report, null, 2) : formatReport(report));
process.exit(report.failures.length > 0 ? 1 : 0);
