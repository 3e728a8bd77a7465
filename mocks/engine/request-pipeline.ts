/**
 * How one routed request is answered once its faults are known: latency first, then a dropped
 * connection, then a fault the provider answers itself, then credentials, then the route's own
 * handler, whose answer a scenario may still mangle (malformed JSON, a slow body).
 */
import { type Fault, presetNames, sampleLatency } from "./faults.ts";
import { localRateRefusal, localTakeSlots, type RequestLimits } from "./limits.ts";
import type {
  NamespaceState,
  ProviderDefinition,
  Route,
  RouteContext,
  SimulatorServices,
} from "./provider.ts";
import { RequestInputs } from "./remote-inputs.ts";
import type { RouteMatch } from "./router.ts";
import { hang, reset, type SimRequest, type SimResponse } from "./sim-http.ts";
import { type Dispatch, harnessErrorHeader } from "./simulator-types.ts";

/** What the journal keeps of how a request was answered. */
export interface RequestTrace {
  /** The faults that fired, in order. */
  fired: string[];
  /** The task the request created or read, when the route named one. */
  taskId?: string;
  /** The handler's notes on what it accepted in an unusual form. */
  notes?: string[];
}

/** One request with everything its answer depends on. */
export interface RequestScope {
  definition: ProviderDefinition;
  dispatch: Dispatch;
  match: RouteMatch;
  ns: NamespaceState;
  sim: SimulatorServices;
  trace: RequestTrace;
  /**
   * With a shared store, the provider limits this request meets (its route's rate limit, slots
   * its handler takes) as counted with every replica; without one they are counted here.
   */
  limits: RequestLimits | undefined;
  fetchOwn(url: string): Promise<{ data: Uint8Array; contentType: string } | undefined>;
}

/** Faults a route's handler acts on itself (they shape the task rather than the answer). */
const taskLevel = new Set<Fault["kind"]>([
  "stuck",
  "task-failure",
  "no-credit",
  "expired-urls",
  "webhook-chaos",
]);

/**
 * A mistake in the harness's own header, not provider behaviour: answered in the provider's
 * error shape (clients can parse it) and marked so no spec check counts it.
 */
export function unknownScenarioRefusal(
  definition: ProviderDefinition,
  route: Route,
  req: SimRequest,
  unknown: string[],
): SimResponse {
  const refusal = definition.faultResponse(
    {
      kind: "error",
      status: 400,
      message: `Unknown scenario preset(s) in x-mock-scenario: ${unknown.join(", ")}. Known: ${presetNames.join(", ")}.`,
    },
    { route, req },
  );
  return { ...refusal, headers: { ...refusal.headers, [harnessErrorHeader]: "unknown-scenario" } };
}

/** The answer to a request under `faults` (the ones whose rules apply to this attempt). */
export async function answerWithFaults(scope: RequestScope, faults: Fault[]): Promise<SimResponse> {
  const { definition, match, ns, trace } = scope;
  const { req } = scope.dispatch;
  let delay = 0;
  for (const fault of faults) if (fault.kind === "latency") delay += sampleLatency(fault.latency, ns.random);
  if (delay > 0) {
    trace.fired.push("latency");
    await ns.clock.sleep(delay);
  }
  for (const fault of faults) {
    if (fault.kind === "hang" || fault.kind === "reset") {
      trace.fired.push(fault.kind);
      return fault.kind === "hang" ? hang() : reset();
    }
  }
  const shortCircuit = faults.find((fault) => shortCircuits(fault, ns.random));
  if (shortCircuit) {
    trace.fired.push(shortCircuit.kind);
    return definition.faultResponse(shortCircuit, { route: match.route, req });
  }
  if (match.route.auth !== false) {
    const denied = definition.authenticate(req);
    if (denied) return denied;
  }
  return handled(scope, faults);
}

/** The route handler's answer, then the faults that mangle a successful one. */
async function handled(scope: RequestScope, faults: Fault[]): Promise<SimResponse> {
  const { dispatch, limits, match, ns, sim, trace } = scope;
  // Remote inputs the handler resolves are told in the answer's header and the journal.
  const inputs = new RequestInputs(sim.remoteInputs, (url) => !!dispatch.resolveOwn(url));
  const ctx: RouteContext = {
    provider: dispatch.provider,
    req: dispatch.req,
    params: match.params,
    route: match.route,
    ns,
    sim,
    faults: faults.filter((f) => taskLevel.has(f.kind)),
    url: dispatch.url,
    fetchOwn: scope.fetchOwn,
    remoteInput: inputs.resolve,
    takeSlots: (name, count, limit) =>
      limits ? limits.takeSlots(name, count, limit) : localTakeSlots(ns, ctx.provider, name, count, limit),
    work: (ms) => (sim.latency === "none" || ms <= 0 ? Promise.resolve() : ns.clock.sleep(ms)),
    noteTask: (id) => {
      trace.taskId = id;
    },
    note: (text) => {
      trace.notes = [...(trace.notes ?? []), text];
    },
  };
  for (const fault of ctx.faults) trace.fired.push(fault.kind);
  const refusal = limits ? limits.rateRefusal() : localRateRefusal(ns, ctx.provider, match.route, ctx.req);
  let answer = inputs.mark(refusal ?? (await match.route.handle(ctx)));
  for (const text of inputs.notes()) ctx.note(text);
  const malformed = faults.find((f) => f.kind === "malformed");
  if (malformed && answer.status < 300) {
    trace.fired.push("malformed");
    answer = malform(answer, malformed.mode ?? "shape");
  }
  const slow = faults.find((f) => f.kind === "slow-body");
  if (slow) {
    trace.fired.push("slow-body");
    answer = { ...answer, transport: { kind: "slow", bytesPerSecond: slow.bytesPerSecond } };
  }
  return answer;
}

/**
 * Faults answered by the provider instead of the handler. no-credit is not one: the handler
 * answers it, since a provider may refuse the request or accept a task that never starts.
 */
function shortCircuits(fault: Fault, random: () => number): boolean {
  switch (fault.kind) {
    case "error":
    case "rate-limit":
    case "outage":
    case "auth-failure":
      return true;
    case "flaky":
      return random() < fault.probability;
    default:
      return false;
  }
}

function malform(answer: SimResponse, mode: "shape" | "truncated"): SimResponse {
  if (answer.body.kind !== "json") return answer;
  if (mode === "truncated") {
    const text = JSON.stringify(answer.body.value);
    return {
      ...answer,
      body: { kind: "text", value: text.slice(0, Math.max(1, Math.floor(text.length / 2))) },
    };
  }
  const value = answer.body.value;
  const broken =
    value && typeof value === "object" && !Array.isArray(value)
      ? Object.fromEntries(Object.keys(value).map((key) => [key, null]))
      : { unexpected: value };
  return { ...answer, body: { kind: "json", value: broken } };
}
