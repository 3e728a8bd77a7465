/**
 * `npm run contracts:verify` inside npm test: all five pacts verified with Pact's Verifier
 * against the standalone simulator server, every provider state set through its admin API and
 * every webhook message captured from the simulator. Run as a child process, so Pact's native
 * output stays out of the test log unless something fails.
 */
import { describe, expect, it } from "vitest";
import { run } from "./run.ts";

describe("provider verification against the simulators", () => {
  it("verifies every interaction of the five pacts", async () => {
    const result = await run(["contracts/provider/verify-all.ts"]);
    const output = `${result.stdout}\n${result.stderr}`;
    expect(result.code, output).toBe(0);
    for (const provider of ["ideogram", "chainhub", "fal", "onemin", "freepik"])
      expect(output).toMatch(new RegExp(`Drift report: ${provider} against the simulator`));
    const totals = [...output.matchAll(/(\d+) passed, (\d+) failed, (\d+) skipped/g)];
    expect(totals).toHaveLength(5);
    for (const [, passed, failed, skipped] of totals) {
      expect(Number(passed)).toBeGreaterThan(5);
      expect([failed, skipped]).toEqual(["0", "0"]);
    }
  }, 60_000);
});
