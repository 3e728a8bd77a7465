/**
 * Smoke test of the benchmark suite: the `sim` suite's functions run in quick mode and return
 * well-formed rows. No timing is asserted here; speed goals live in `npm run bench`.
 */
import { describe, expect, it } from "vitest";
import { renderTable, verdict } from "../../bench/lib/report.ts";
import { median } from "../../bench/lib/stats.ts";
import { measureCache, measureSettle, runSimSuite } from "../../bench/suites/sim.ts";
import { makeImage, toBase64 } from "../../scripts/lib/images.ts";

const positive = (value: number | undefined) => {
  expect(value).toBeTypeOf("number");
  expect(Number.isFinite(value)).toBe(true);
  expect(value).toBeGreaterThan(0);
};

describe("bench sim suite (quick)", () => {
  it("settles a 16x Freepik task directly and through MSW, reporting wall time, virtual time and polls", async () => {
    const image = toBase64(await makeImage(16, 12));
    for (const transport of ["direct", "msw"] as const) {
      const [run] = await measureSettle(transport, "lazy", 1, image);
      positive(run?.wallMs);
      positive(run?.polls);
      // Minutes of provider time: 16x lasts far longer than the 3 s poll interval.
      expect(run!.virtualMs).toBeGreaterThan(60_000);
    }
  });

  it("times a first upscale and cached repeats", async () => {
    const { firstMs, hitMs } = await measureCache(await makeImage(32, 32), 2, { firstCalls: 1, hits: 3 });
    positive(firstMs);
    positive(hitMs);
  });

  it("returns rows with values, ratios and goals, and renders them as a table", async () => {
    const result = await runSimSuite({ runs: 1, firstCalls: 1, hits: 3, imageSize: 32 });
    expect(result.name).toBe("sim");
    expect(result.rows).toHaveLength(5);
    for (const row of result.rows) {
      expect(row.skipped).toBeUndefined();
      positive(row.value);
      positive(row.ratio);
      expect(row.anchor).toBeTruthy();
      expect(row.goal).toBeDefined();
      expect(verdict(row)).toMatchObject({ met: expect.any(Boolean), margin: expect.any(Number) });
    }
    const table = renderTable(result);
    expect(table.split("\n").filter((line) => line.startsWith("| "))).toHaveLength(2 + result.rows.length);
    expect(table).toMatch(/\| ratio \| goal \| result \|/);
  });

  it("takes medians of odd and even counts", () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
  });
});
