/** Task timing and fate from the scenario, shared by the async providers. */
import type { RouteContext } from "../../engine/provider.ts";
import type { Fate } from "../../engine/tasks.ts";

/** A duration drawn uniformly from [minMs, maxMs] (seeded), or 0 with `--latency none`. */
export function sampleDuration(ctx: RouteContext, [minMs, maxMs]: [number, number]): number {
  if (ctx.sim.latency === "none") return 0;
  return Math.round(minMs + (maxMs - minMs) * ctx.ns.random());
}

/**
 * What the scenario decided for a task accepted now. `stuckOnNoCredit` is for providers whose
 * accounts out of credit accept tasks that never start (Freepik).
 */
export function fateFromFaults(ctx: RouteContext, failureReason: string, stuckOnNoCredit = false): Fate {
  for (const fault of ctx.faults) {
    if (fault.kind === "stuck") return { kind: "stuck" };
    if (fault.kind === "no-credit" && stuckOnNoCredit) return { kind: "stuck" };
    if (fault.kind === "task-failure") return { kind: "failure", reason: fault.reason ?? failureReason };
  }
  return { kind: "success" };
}

export function hasFault(ctx: RouteContext, kind: string): boolean {
  return ctx.faults.some((fault) => fault.kind === kind);
}
