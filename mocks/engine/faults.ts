/**
 * Faults as data. A rule says which provider, which phase, which attempt numbers (and when, for
 * outage windows) and what fault; a scenario is a list of rules. Nothing here knows a
 * provider's wire format: each provider turns a fault into its own native answer.
 */
/**
 * A provider's id as its definition names itself. The engine treats it as an opaque label: the
 * list of providers belongs to src/providers/ids.ts, which the engine never reads.
 */
export type ProviderId = string;

export const phases = ["submit", "status", "result", "upload", "download", "webhook"] as const;
export type Phase = (typeof phases)[number];

export type LatencyDistribution =
  | { type: "fixed"; ms: number }
  | { type: "uniform"; minMs: number; maxMs: number }
  | { type: "lognormal"; medianMs: number; sigma: number };

export type Fault =
  /** Answer after a delay (on the clock). Combines with every other fault. */
  | { kind: "latency"; latency: LatencyDistribution }
  /** The provider's native error for this status. */
  | { kind: "error"; status: number; message?: string }
  /** 429 with Retry-After (seconds). */
  | { kind: "rate-limit"; retryAfterSeconds: number }
  /** 503 (the provider's outage answer) while the clock is inside [from, to) (epoch ms; open ends allowed). */
  | { kind: "outage"; from?: number; to?: number }
  /** With `probability`, the provider's native `status` error (default 503); seeded. */
  | { kind: "flaky"; probability: number; status?: number }
  /** The provider rejects the credentials (its native 401/403). */
  | { kind: "auth-failure" }
  /** The account is out of credit (the provider's native 402 or 403, or tasks that never start). */
  | { kind: "no-credit" }
  /** Tasks accepted now never leave their first state. */
  | { kind: "stuck" }
  /** Tasks accepted now end in the provider's own failure shape. */
  | { kind: "task-failure"; reason?: string }
  /** A 2xx whose body breaks the provider's schema (`shape`) or is cut short (`truncated`). */
  | { kind: "malformed"; mode?: "shape" | "truncated" }
  /** The connection stays open and nothing is answered. */
  | { kind: "hang" }
  /** The connection is dropped without an answer. */
  | { kind: "reset" }
  /** The body trickles at this rate. */
  | { kind: "slow-body"; bytesPerSecond: number }
  /** Result URLs are already past their expiry when fetched. */
  | { kind: "expired-urls" }
  /** Webhook delivery chaos: each delivery is dropped, duplicated and/or delayed (ms, up to). */
  | { kind: "webhook-chaos"; drop?: number; duplicate?: number; delayMs?: number };

export type FaultKind = Fault["kind"];

export interface FaultRule {
  /** Default: every provider. */
  provider?: ProviderId;
  /** Default: every phase. */
  phases?: Phase[];
  /** 1-based attempt numbers within (namespace, provider, phase); default: every attempt. */
  attempts?: { from?: number; to?: number };
  fault: Fault;
}

export interface Scenario {
  name: string;
  rules: FaultRule[];
}

const requestPhases: Phase[] = ["submit", "status", "result", "upload", "download"];

/** The named presets (`x-mock-scenario: <preset>[,<preset>…]`, `--scenario p=<preset>`). */
export const presets: Record<string, FaultRule[]> = {
  healthy: [],
  slow: [
    {
      phases: requestPhases,
      fault: { kind: "latency", latency: { type: "lognormal", medianMs: 1_500, sigma: 0.6 } },
    },
  ],
  flaky: [
    { phases: ["submit", "status", "result"], fault: { kind: "flaky", probability: 0.3, status: 503 } },
  ],
  outage: [{ phases: requestPhases, fault: { kind: "outage" } }],
  // Real rate limits clear: the first two attempts of each phase are refused, then it recovers.
  "rate-limited": [
    {
      phases: ["submit", "status", "result"],
      attempts: { to: 2 },
      fault: { kind: "rate-limit", retryAfterSeconds: 2 },
    },
  ],
  "auth-failure": [{ phases: requestPhases, fault: { kind: "auth-failure" } }],
  "task-failure": [{ phases: ["submit"], fault: { kind: "task-failure" } }],
  stuck: [{ phases: ["submit"], fault: { kind: "stuck" } }],
  malformed: [{ phases: ["submit", "status", "result"], fault: { kind: "malformed", mode: "shape" } }],
  timeout: [{ phases: requestPhases, fault: { kind: "hang" } }],
  // A reset is a transient network fault: the first attempt of each phase is dropped.
  reset: [{ phases: requestPhases, attempts: { to: 1 }, fault: { kind: "reset" } }],
  "no-credit": [{ phases: ["submit"], fault: { kind: "no-credit" } }],
  "expired-urls": [{ phases: ["download"], fault: { kind: "expired-urls" } }],
  "webhook-chaos": [
    { phases: ["webhook"], fault: { kind: "webhook-chaos", drop: 0.2, duplicate: 0.3, delayMs: 5_000 } },
  ],
};

export const presetNames = Object.keys(presets);

/**
 * Resolves `outage,slow` (or a Scenario value) into rules; unknown names are reported, not
 * ignored. No scenario (`undefined`, as a table by provider may hold) is no rules.
 */
export function resolveScenario(spec: string | Scenario | FaultRule[] | undefined): {
  rules: FaultRule[];
  unknown: string[];
} {
  if (spec === undefined) return { rules: [], unknown: [] };
  if (Array.isArray(spec)) return { rules: spec, unknown: [] };
  if (typeof spec !== "string") return { rules: spec.rules, unknown: [] };
  const rules: FaultRule[] = [];
  const unknown: string[] = [];
  for (const name of spec
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean)) {
    const preset = Object.hasOwn(presets, name) ? presets[name] : undefined;
    if (preset) rules.push(...preset);
    else unknown.push(name);
  }
  return { rules, unknown };
}

export function ruleApplies(
  rule: FaultRule,
  provider: ProviderId,
  phase: Phase,
  attempt: number,
  now: number,
): boolean {
  if (rule.provider && rule.provider !== provider) return false;
  if (rule.phases && !rule.phases.includes(phase)) return false;
  if (rule.attempts) {
    if (rule.attempts.from !== undefined && attempt < rule.attempts.from) return false;
    if (rule.attempts.to !== undefined && attempt > rule.attempts.to) return false;
  }
  if (rule.fault.kind === "outage") {
    if (rule.fault.from !== undefined && now < rule.fault.from) return false;
    if (rule.fault.to !== undefined && now >= rule.fault.to) return false;
  }
  return true;
}

/** Mulberry32: a tiny seeded generator, so a flaky run replays exactly from its seed. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A delay in whole milliseconds (providers' timestamps are integers). */
export function sampleLatency(latency: LatencyDistribution, random: () => number): number {
  return Math.round(sampleRaw(latency, random));
}

function sampleRaw(latency: LatencyDistribution, random: () => number): number {
  switch (latency.type) {
    case "fixed":
      return latency.ms;
    case "uniform":
      return latency.minMs + (latency.maxMs - latency.minMs) * random();
    case "lognormal": {
      // Box–Muller for a standard normal, then exp(mu + sigma z) with mu = ln(median).
      const u = Math.max(random(), 1e-12);
      const v = random();
      const z = Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
      return latency.medianMs * Math.exp(latency.sigma * z);
    }
  }
}
