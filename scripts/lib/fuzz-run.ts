/**
 * Runs fuzz cases against the simulators, in-process (`simulator.handle`) or over HTTP (the
 * standalone server), and judges every answer: the status is declared for the operation and the
 * body matches its schema (SpecConformance: zero violations), no 5xx unless a scenario asked for
 * an outage, and, without a scenario, the answer the case expects (a valid request is accepted,
 * a broken one refused with a 4xx, wrong credentials with 401).
 *
 * `FUZZ_SEED` replays a run, `FUZZ_OP` picks operations (comma-separated ids or operationIds),
 * `FUZZ_PATH` replays one counterexample; every failure prints all three.
 */
import fc from "fast-check";
import type { SimResponse } from "../../mocks/engine/sim-http.ts";
import { casesFor, type FuzzCase, summarize } from "./fuzz-cases.ts";
import { prepareFixtures, substitute } from "./fuzz-fixtures.ts";
import { loadOperations, type SpecOperation } from "./fuzz-spec.ts";
import type { FuzzTransport } from "./fuzz-transport.ts";
import { SpecConformance } from "./spec-conformance.ts";

export * from "./fuzz-fixtures.ts";
export * from "./fuzz-transport.ts";

// ---------------------------------------------------------------- oracle

let conformance: SpecConformance | undefined;

/** Everything wrong with an answer (empty when it is right). */
export function judge(c: FuzzCase, answer: SimResponse): string[] {
  conformance ??= new SpecConformance();
  const problems: string[] = [];
  if (answer.transport || answer.status === 0)
    return [`no HTTP answer (${answer.transport?.kind ?? "status 0"})`];
  problems.push(...conformance.check(c.op.provider, c.op.operationId, answer));
  const presets = (c.scenario ?? "").split(",");
  const outage = presets.includes("flaky") || presets.includes("outage");
  if (answer.status >= 500 && !(outage && answer.status === 503))
    problems.push(`answered ${answer.status} without a scenario asking for an outage`);
  if (c.scenario) return problems;
  const { status } = answer;
  if (c.auth === "wrong") {
    if (status !== 401) problems.push(`wrong credentials answered ${status}, not 401`);
    return problems;
  }
  const e = c.expect;
  if ("statuses" in e && !e.statuses.includes(status))
    problems.push(`expected ${e.statuses.join(" or ")} (${c.why}), got ${status}`);
  if ("range" in e && e.range === "2xx" && (status < 200 || status >= 300))
    problems.push(`a valid request was refused with ${status}`);
  if ("range" in e && e.range === "4xx" && (status < 400 || status >= 500))
    problems.push(`an invalid request (${c.why}) answered ${status}, not a 4xx`);
  return problems;
}

function describe(c: FuzzCase, answer: SimResponse): string {
  const text =
    answer.body.kind === "json"
      ? JSON.stringify(answer.body.value)
      : answer.body.kind === "text"
        ? answer.body.value
        : `<${answer.body.kind}>`;
  return `${summarize(c)}\n    answer ${answer.status} ${text.slice(0, 400)}`;
}

// ---------------------------------------------------------------- runner

export interface FuzzOptions {
  runs: number;
  seed: number;
  /** The counterexample path to replay (default: FUZZ_PATH). */
  path?: string;
  /** Refill the fixtures after this many cases (the file store is bounded). */
  refreshEvery?: number;
}

export interface OperationResult {
  op: string;
  runs: number;
  ms: number;
  classes: Record<string, number>;
  statuses: Record<string, number>;
  failure?: string;
}

export function fuzzSeed(): number {
  const fromEnv = process.env.FUZZ_SEED;
  return fromEnv !== undefined && fromEnv !== "" ? Number(fromEnv) : Math.floor(Math.random() * 2 ** 31);
}

/** Operations to fuzz: all, or those named in FUZZ_OP (ids like `fal:submitUpscale` or operationIds). */
export function selectedOperations(): SpecOperation[] {
  const all = loadOperations();
  const wanted = process.env.FUZZ_OP?.split(",")
    .map((s) => s.trim())
    .filter(Boolean);
  return wanted ? all.filter((op) => wanted.includes(op.id) || wanted.includes(op.operationId)) : all;
}

/** Fuzzes one operation; the result carries a replayable report on failure. */
export async function fuzzOperation(
  t: FuzzTransport,
  op: SpecOperation,
  options: FuzzOptions,
): Promise<OperationResult> {
  const started = performance.now();
  let live = await prepareFixtures(t);
  let sent = 0;
  const classes: Record<string, number> = {};
  const statuses: Record<string, number> = {};
  const refreshEvery = options.refreshEvery ?? 100;
  const path = options.path ?? process.env.FUZZ_PATH;
  const property = fc.asyncProperty(casesFor(op, t.inputs), async (c) => {
    if (++sent % refreshEvery === 0) live = await prepareFixtures(t);
    const wire = substitute(c.wire, live);
    const answer = await t.send(op.provider, c.host, wire);
    classes[c.klass] = (classes[c.klass] ?? 0) + 1;
    statuses[answer.status] = (statuses[answer.status] ?? 0) + 1;
    const problems = judge(c, answer);
    if (problems.length > 0)
      throw new Error(`${problems.join("; ")}\n    ${describe({ ...c, wire }, answer)}`);
  });
  const details = await fc.check(property, {
    numRuns: options.runs,
    seed: options.seed,
    ...(path ? { path } : {}),
    // Shrinking re-sends requests; keep a failing run bounded.
    interruptAfterTimeLimit: 120_000,
    markInterruptAsFailure: false,
  });
  const result: OperationResult = {
    op: op.id,
    runs: details.numRuns,
    ms: Math.round(performance.now() - started),
    classes,
    statuses,
  };
  if (details.failed) {
    const replay = `FUZZ_SEED=${details.seed} FUZZ_OP=${op.id} FUZZ_PATH=${details.counterexamplePath ?? ""}`;
    result.failure = `${op.id} over ${t.name} failed (replay: ${replay})\n${fc.defaultReportMessage(details) ?? ""}`;
  }
  return result;
}
