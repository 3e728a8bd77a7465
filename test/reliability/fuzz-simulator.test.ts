/**
 * Fuzzing every operation of every spec against the simulators in-process (`simulator.handle`,
 * the call every transport makes): requests generated from the operation's request schema, valid
 * and broken, with good and wrong credentials and sometimes a scenario. Every answer must be
 * declared by the spec with a conforming body, never a 5xx unless an outage was asked for, and,
 * without a scenario, what the request deserves (2xx, the 4xx, 401).
 *
 * Replay a failure with the FUZZ_SEED / FUZZ_OP / FUZZ_PATH it prints; FUZZ_RUNS sets the runs.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  type FuzzTransport,
  fuzzOperation,
  fuzzSeed,
  inProcessTransport,
  selectedOperations,
} from "../../scripts/lib/fuzz-run.ts";

const runs = Number(process.env.FUZZ_RUNS ?? 200);
const seed = fuzzSeed();
const operations = selectedOperations();
let transport: FuzzTransport;

beforeAll(async () => {
  transport = await inProcessTransport();
  console.log(`fuzz (in-process): seed ${seed}, ${runs} runs per operation; replay with FUZZ_SEED=${seed}`);
});
afterAll(() => transport?.close());

describe("fuzzing the simulators in-process", () => {
  it("covers every operation of every spec", () => {
    expect(operations.length).toBeGreaterThanOrEqual(process.env.FUZZ_OP ? 1 : 25);
  });

  for (const op of operations) {
    it(`${op.id}: ${runs} generated requests get the spec's answers`, async () => {
      const result = await fuzzOperation(transport, op, { runs, seed });
      if (result.failure) throw new Error(result.failure);
      expect(result.runs).toBe(runs);
      // The generator reaches both sides: accepted requests and refused ones.
      expect(result.classes.valid ?? 0, JSON.stringify(result.classes)).toBeGreaterThan(0);
      expect(Object.keys(result.classes).length, JSON.stringify(result.classes)).toBeGreaterThan(1);
    }, 120_000);
  }
});
