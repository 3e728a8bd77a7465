import { describe, expect, it } from "vitest";
import {
  type FaultRule,
  presetNames,
  presets,
  resolveScenario,
  ruleApplies,
  sampleLatency,
  seededRandom,
} from "../../mocks/engine/faults.ts";

describe("resolveScenario", () => {
  it("resolves a single preset to its rules", () => {
    expect(resolveScenario("outage")).toEqual({ rules: presets.outage, unknown: [] });
    expect(resolveScenario("healthy")).toEqual({ rules: [], unknown: [] });
  });

  it("combines presets in the order given, ignoring blanks and spaces", () => {
    const { rules, unknown } = resolveScenario(" rate-limited , slow,,");
    expect(unknown).toEqual([]);
    expect(rules).toEqual([...presets["rate-limited"]!, ...presets.slow!]);
    expect(rules.map((r) => r.fault.kind)).toEqual(["rate-limit", "latency"]);
  });

  it("reports unknown names instead of ignoring them, and keeps the known ones", () => {
    expect(resolveScenario("outage,nonsense,Slow")).toEqual({
      rules: presets.outage,
      unknown: ["nonsense", "Slow"],
    });
  });

  it("does not treat Object.prototype names as presets (they come from a request header)", () => {
    expect(resolveScenario("constructor,toString,__proto__,hasOwnProperty")).toEqual({
      rules: [],
      unknown: ["constructor", "toString", "__proto__", "hasOwnProperty"],
    });
  });

  it("passes rule arrays and Scenario values through", () => {
    const rules: FaultRule[] = [{ fault: { kind: "hang" } }];
    expect(resolveScenario(rules)).toEqual({ rules, unknown: [] });
    expect(resolveScenario({ name: "mine", rules })).toEqual({ rules, unknown: [] });
  });

  it("lists every documented preset", () => {
    expect(presetNames).toEqual([
      "healthy",
      "slow",
      "flaky",
      "outage",
      "rate-limited",
      "auth-failure",
      "task-failure",
      "stuck",
      "malformed",
      "timeout",
      "reset",
      "no-credit",
      "expired-urls",
      "webhook-chaos",
    ]);
  });
});

describe("ruleApplies", () => {
  const now = 1_000_000;

  it("applies everywhere when the rule names nothing", () => {
    const rule: FaultRule = { fault: { kind: "hang" } };
    expect(ruleApplies(rule, "fal", "webhook", 99, now)).toBe(true);
    expect(ruleApplies(rule, "ideogram", "submit", 1, now)).toBe(true);
  });

  it("filters by provider", () => {
    const rule: FaultRule = { provider: "freepik", fault: { kind: "hang" } };
    expect(ruleApplies(rule, "freepik", "submit", 1, now)).toBe(true);
    expect(ruleApplies(rule, "fal", "submit", 1, now)).toBe(false);
  });

  it("filters by phase", () => {
    const rule: FaultRule = { phases: ["status", "result"], fault: { kind: "hang" } };
    expect(ruleApplies(rule, "fal", "status", 1, now)).toBe(true);
    expect(ruleApplies(rule, "fal", "result", 1, now)).toBe(true);
    expect(ruleApplies(rule, "fal", "submit", 1, now)).toBe(false);
    expect(ruleApplies({ phases: [], fault: { kind: "hang" } }, "fal", "submit", 1, now)).toBe(false);
  });

  it("filters by attempt numbers, both ends inclusive", () => {
    const rule: FaultRule = { attempts: { from: 2, to: 4 }, fault: { kind: "hang" } };
    expect([1, 2, 3, 4, 5].map((a) => ruleApplies(rule, "fal", "submit", a, now))).toEqual([
      false,
      true,
      true,
      true,
      false,
    ]);
    const onlyTo: FaultRule = { attempts: { to: 2 }, fault: { kind: "hang" } };
    expect([1, 2, 3].map((a) => ruleApplies(onlyTo, "fal", "submit", a, now))).toEqual([true, true, false]);
    const onlyFrom: FaultRule = { attempts: { from: 3 }, fault: { kind: "hang" } };
    expect([2, 3, 1000].map((a) => ruleApplies(onlyFrom, "fal", "submit", a, now))).toEqual([
      false,
      true,
      true,
    ]);
  });

  it("applies an outage only inside its window [from, to)", () => {
    const rule: FaultRule = { fault: { kind: "outage", from: 100, to: 200 } };
    expect([99, 100, 150, 199, 200, 201].map((t) => ruleApplies(rule, "fal", "submit", 1, t))).toEqual([
      false,
      true,
      true,
      true,
      false,
      false,
    ]);
    const openStart: FaultRule = { fault: { kind: "outage", to: 200 } };
    expect([0, 199, 200].map((t) => ruleApplies(openStart, "fal", "submit", 1, t))).toEqual([
      true,
      true,
      false,
    ]);
    const openEnd: FaultRule = { fault: { kind: "outage", from: 100 } };
    expect([99, 100, 1e15].map((t) => ruleApplies(openEnd, "fal", "submit", 1, t))).toEqual([
      false,
      true,
      true,
    ]);
  });

  it("the rate-limited preset refuses the first two attempts of submit, status and result only", () => {
    const [rule] = presets["rate-limited"]!;
    expect([1, 2, 3].map((a) => ruleApplies(rule!, "freepik", "submit", a, now))).toEqual([
      true,
      true,
      false,
    ]);
    expect(ruleApplies(rule!, "freepik", "download", 1, now)).toBe(false);
  });
});

describe("seededRandom", () => {
  it("replays the same sequence from the same seed", () => {
    const a = seededRandom(42);
    const b = seededRandom(42);
    const first = Array.from({ length: 50 }, a);
    expect(Array.from({ length: 50 }, b)).toEqual(first);
    expect(new Set(first).size).toBe(50);
  });

  it("differs between seeds", () => {
    const a = Array.from({ length: 5 }, seededRandom(1));
    const b = Array.from({ length: 5 }, seededRandom(2));
    expect(a).not.toEqual(b);
  });

  it("stays in [0, 1) and is roughly uniform", () => {
    const random = seededRandom(7);
    const buckets = new Array(10).fill(0) as number[];
    const n = 100_000;
    let min = 1;
    let max = 0;
    for (let i = 0; i < n; i++) {
      const value = random();
      min = Math.min(min, value);
      max = Math.max(max, value);
      buckets[Math.floor(value * 10)]!++;
    }
    expect(min).toBeGreaterThanOrEqual(0);
    expect(max).toBeLessThan(1);
    for (const count of buckets) expect(Math.abs(count - n / 10)).toBeLessThan(n / 100);
  });

  it("accepts seeds outside 32 bits and negatives (coerced to uint32)", () => {
    expect(seededRandom(-1)()).toBe(seededRandom(0xffffffff)());
    expect(seededRandom(2 ** 32 + 5)()).toBe(seededRandom(5)());
  });
});

describe("sampleLatency", () => {
  it("fixed is exact and rounded to whole ms", () => {
    const random = seededRandom(1);
    expect(sampleLatency({ type: "fixed", ms: 250 }, random)).toBe(250);
    expect(sampleLatency({ type: "fixed", ms: 10.6 }, random)).toBe(11);
  });

  it("uniform stays within its bounds, hits both halves, and is an integer", () => {
    const random = seededRandom(3);
    const samples = Array.from({ length: 5_000 }, () =>
      sampleLatency({ type: "uniform", minMs: 100, maxMs: 200 }, random),
    );
    expect(samples.every((ms) => Number.isInteger(ms) && ms >= 100 && ms <= 200)).toBe(true);
    const low = samples.filter((ms) => ms < 150).length;
    const high = samples.length - low;
    expect(low).toBeGreaterThan(2_200);
    expect(high).toBeGreaterThan(2_200);
  });

  it("uniform maps the random value linearly", () => {
    const at = (r: number) => sampleLatency({ type: "uniform", minMs: 1_000, maxMs: 3_000 }, () => r);
    expect(at(0)).toBe(1_000);
    expect(at(0.5)).toBe(2_000);
    expect(at(0.25)).toBe(1_500);
  });

  it("lognormal has roughly its median, is positive and integer", () => {
    const random = seededRandom(11);
    const samples = Array.from({ length: 20_001 }, () =>
      sampleLatency({ type: "lognormal", medianMs: 1_500, sigma: 0.6 }, random),
    ).sort((a, b) => a - b);
    expect(samples.every((ms) => Number.isInteger(ms) && ms > 0)).toBe(true);
    const median = samples[10_000]!;
    expect(median).toBeGreaterThan(1_400);
    expect(median).toBeLessThan(1_600);
    // exp(0.6 * 1.2816) ≈ 2.16: the 90th percentile sits near 3.2 s.
    const p90 = samples[18_000]!;
    expect(p90).toBeGreaterThan(2_900);
    expect(p90).toBeLessThan(3_600);
  });

  it("lognormal survives a random() of exactly 0", () => {
    const values = [0, 0];
    const ms = sampleLatency({ type: "lognormal", medianMs: 100, sigma: 0.5 }, () => values.shift() ?? 0);
    expect(Number.isFinite(ms)).toBe(true);
  });
});
