/**
 * `npm run fuzz`: the long fuzzing campaign (the share in `npm test` is small). Every operation of
 * every spec, in-process and over HTTP, with the same oracle as test/reliability/fuzz-*.test.ts.
 *
 *   npm run fuzz -- [--runs 5000] [--http-runs 1000] [--seed N] [--op fal:submitUpscale,…]
 *
 * FUZZ_SEED / FUZZ_OP / FUZZ_PATH work as in the tests; a failure prints the line that replays
 * it. Exits 1 when any operation fails.
 */
import { parseArgs } from "node:util";
import {
  type FuzzTransport,
  fuzzOperation,
  fuzzSeed,
  httpTransport,
  inProcessTransport,
  type OperationResult,
  selectedOperations,
} from "./lib/fuzz-run.ts";

const { values } = parseArgs({
  options: {
    runs: { type: "string", default: process.env.FUZZ_RUNS ?? "5000" },
    "http-runs": { type: "string", default: process.env.FUZZ_HTTP_RUNS ?? "1000" },
    seed: { type: "string" },
    op: { type: "string" },
  },
});
if (values.op) process.env.FUZZ_OP = values.op;
const seed = values.seed !== undefined ? Number(values.seed) : fuzzSeed();
const operations = selectedOperations();
const started = performance.now();
console.log(
  `fuzz campaign: seed ${seed}, ${operations.length} operations, ${values.runs} runs each in-process and ${values["http-runs"]} over HTTP`,
);

const failures: string[] = [];
async function campaign(transport: FuzzTransport, runs: number): Promise<void> {
  if (runs <= 0) return;
  for (const op of operations) {
    const result: OperationResult = await fuzzOperation(transport, op, { runs, seed });
    const statuses = Object.entries(result.statuses)
      .map(([status, n]) => `${status}:${n}`)
      .join(" ");
    console.log(
      `${transport.name.padEnd(10)} ${op.id.padEnd(34)} ${String(result.runs).padStart(6)} runs ${String(result.ms).padStart(7)} ms  ${result.failure ? "FAILED" : "ok"}  ${statuses}`,
    );
    if (result.failure) failures.push(result.failure);
  }
  if (!(await transport.healthy()))
    failures.push(`${transport.name}: the server stopped answering its health check.`);
}

const inProcess = await inProcessTransport();
await campaign(inProcess, Number(values.runs));
await inProcess.close();
const http = await httpTransport();
await campaign(http, Number(values["http-runs"]));
await http.close();

console.log(`done in ${Math.round((performance.now() - started) / 1000)} s`);
for (const failure of failures) console.error(`\n${failure}`);
process.exit(failures.length > 0 ? 1 : 0);
