import { describe, expect, it, vi } from "vitest";
import { type Fault, type FaultRule, presetNames } from "../../mocks/engine/faults.ts";
import type { ProviderDefinition, RouteContext, TransitionContext } from "../../mocks/engine/provider.ts";
import { bytes, json, type SimRequest, type SimResponse } from "../../mocks/engine/sim-http.ts";
import { type Dispatch, Simulator, type SimulatorOptions } from "../../mocks/engine/simulator.ts";
import { VirtualClock } from "../../src/core/clock.ts";

const START = Date.UTC(2026, 0, 1);

/** What the tiny provider's handlers saw, so tests can tell whether a handler ran. */
let handled: RouteContext[] = [];
const transitions: TransitionContext[] = [];

function faultAnswer(fault: Fault): SimResponse {
  switch (fault.kind) {
    case "error":
      return json(fault.status, { tiny_error: fault.message ?? "error" });
    case "rate-limit":
      return json(429, { tiny_error: "slow down" }, { "retry-after": String(fault.retryAfterSeconds) });
    case "outage":
      return json(503, { tiny_error: "down" });
    case "auth-failure":
      return json(401, { tiny_error: "fault: bad key" });
    case "flaky":
      return json(fault.status ?? 503, { tiny_error: "flaky" });
    default:
      return json(500, { tiny_error: `unexpected ${fault.kind}` });
  }
}

/** A provider with four routes: submit (creates a task), status, result, and an open download. */
const tiny: ProviderDefinition = {
  id: "freepik",
  hosts: { api: "https://api.tiny.test", cdn: "https://cdn.tiny.test" },
  routes: [
    {
      host: "api",
      method: "POST",
      path: "/jobs",
      operation: "createJob",
      phase: "submit",
      handle(ctx) {
        handled.push(ctx);
        const id = `job-${ctx.ns.tasks.size + 1}`;
        ctx.ns.tasks.create(
          {
            id,
            provider: "freepik",
            operation: "createJob",
            stages: [{ state: "RUNNING", durationMs: 1_000 }],
            success: "DONE",
            failure: "FAILED",
            fate: ctx.faults.some((f) => f.kind === "task-failure")
              ? { kind: "failure", reason: "x" }
              : { kind: "success" },
            retentionMs: 60_000,
            data: {},
          },
          true,
        );
        ctx.noteTask(id);
        return json(200, { id, status: "RUNNING", faults: ctx.faults.map((f) => f.kind) });
      },
    },
    {
      host: "api",
      method: "GET",
      path: "/jobs/:id",
      operation: "getJob",
      phase: "status",
      handle(ctx) {
        handled.push(ctx);
        const task = ctx.ns.tasks.get(ctx.params.id!);
        if (!task) return json(404, { tiny_error: "no such job" });
        return json(200, { id: task.id, status: ctx.ns.tasks.poll(task).state });
      },
    },
    {
      host: "api",
      method: "GET",
      path: "/list",
      operation: "listJobs",
      phase: "result",
      handle(ctx) {
        handled.push(ctx);
        return json(200, [1, 2, 3]);
      },
    },
    {
      host: "cdn",
      method: "GET",
      path: "/files/:name",
      operation: "download",
      phase: "download",
      auth: false,
      handle(ctx) {
        handled.push(ctx);
        return bytes(200, new Uint8Array([1, 2, 3]), "image/png");
      },
    },
  ],
  authenticate(req) {
    return req.headers.authorization === "Bearer good" ? undefined : json(401, { tiny_error: "who are you" });
  },
  faultResponse: (fault) => faultAnswer(fault),
  notFound: () => json(404, { tiny_error: "no route" }),
  onTaskTransition(ctx) {
    transitions.push(ctx);
  },
};

function request(method: string, path: string, headers: Record<string, string> = {}, body = ""): SimRequest {
  return {
    method,
    path,
    query: new URLSearchParams(),
    headers: { authorization: "Bearer good", ...headers },
    body: new TextEncoder().encode(body),
  };
}

function setup(options: SimulatorOptions = {}) {
  handled = [];
  transitions.length = 0;
  const clock = new VirtualClock({ start: START });
  const sim = new Simulator([tiny], { clock, seed: 7, ...options });
  const call = (
    method: string,
    path: string,
    headers: Record<string, string> = {},
    extra: { namespace?: string; host?: string } = {},
  ) => {
    const dispatch: Dispatch = {
      provider: "freepik",
      host: extra.host ?? "api",
      req: request(method, path, headers),
      ...(extra.namespace ? { namespace: extra.namespace } : {}),
      url: (host, p) => `http://sim.test/${host}${p}`,
      resolveOwn: () => undefined,
    };
    return sim.handle(dispatch);
  };
  const submit = (headers: Record<string, string> = {}, namespace?: string) =>
    call("POST", "/jobs", headers, namespace ? { namespace } : {});
  return { clock, sim, call, submit };
}

const bodyOf = (response: SimResponse) =>
  response.body.kind === "json" ? response.body.value : response.body;
const scenario = (value: string) => ({ "x-mock-scenario": value });
const rules = (...list: FaultRule[]) => list;

describe("Simulator: routing and auth", () => {
  it("runs the handler for a matched, authorised request", async () => {
    const { submit } = setup();
    const response = await submit();
    expect(response.status).toBe(200);
    expect(bodyOf(response)).toEqual({ id: "job-1", status: "RUNNING", faults: [] });
    expect(handled).toHaveLength(1);
    expect(handled[0]!.params).toEqual({});
  });

  it("answers unknown paths with the provider's notFound, without journaling or counting", async () => {
    const { sim, call } = setup();
    const response = await call("GET", "/nothing");
    expect(response.status).toBe(404);
    expect(bodyOf(response)).toEqual({ tiny_error: "no route" });
    expect(sim.namespace().journal.size).toBe(0);
    expect([...sim.namespace().attempts]).toEqual([]);
  });

  it("refuses a provider it does not simulate", async () => {
    const { sim } = setup();
    await expect(
      sim.handle({
        provider: "fal",
        host: "queue",
        req: request("GET", "/"),
        url: () => "",
        resolveOwn: () => undefined,
      }),
    ).rejects.toThrow('Failed to route: provider "fal" is not enabled in this simulator.');
  });

  it("asks the provider to authenticate, except on open routes", async () => {
    const { call } = setup();
    const denied = await call("POST", "/jobs", { authorization: "Bearer bad" });
    expect(denied.status).toBe(401);
    expect(bodyOf(denied)).toEqual({ tiny_error: "who are you" });
    expect(handled).toHaveLength(0);
    const open = await call("GET", "/files/a.png", { authorization: "" }, { host: "cdn" });
    expect(open.status).toBe(200);
    expect(handled[0]!.params).toEqual({ name: "a.png" });
  });
});

describe("Simulator: body limit", () => {
  const dispatchWith = (body: string): Dispatch => ({
    provider: "freepik",
    host: "api",
    req: request("POST", "/jobs", {}, body),
    url: (host, p) => `http://sim.test/${host}${p}`,
    resolveOwn: () => undefined,
  });

  it("handle gives a body over the route's limit the same answer as refuseBody, journaled, without the handler", async () => {
    const { sim } = setup({ limits: { maxJsonBytes: 10 } });
    const refused = await sim.handle(dispatchWith("x".repeat(11)));
    expect(refused).toEqual(sim.refuseBody(dispatchWith(""), 10));
    expect(refused.status).toBe(413);
    expect(handled).toHaveLength(0);
    const entries = sim.namespace().journal.list();
    expect(entries.map((e) => e.faults)).toEqual([["body-too-large"], ["body-too-large"]]);
    expect([...sim.namespace().attempts]).toEqual([]);
  });

  it("a body at the limit reaches the handler", async () => {
    const { sim } = setup({ limits: { maxJsonBytes: 10 } });
    expect((await sim.handle(dispatchWith("x".repeat(10)))).status).toBe(200);
    expect(handled).toHaveLength(1);
  });
});

describe("Simulator: fault order", () => {
  it("waits the latency on the namespace clock before answering", async () => {
    const { clock, sim, submit } = setup({
      scenarios: { freepik: rules({ fault: { kind: "latency", latency: { type: "fixed", ms: 500 } } }) },
    });
    let settled: SimResponse | undefined;
    const pending = submit().then((r) => {
      settled = r;
    });
    await clock.advance(499);
    expect(settled).toBeUndefined();
    expect(handled).toHaveLength(0);
    await clock.advance(1);
    await pending;
    expect(settled!.status).toBe(200);
    expect(sim.namespace().journal.list()[0]).toMatchObject({ faults: ["latency"], time: START + 500 });
  });

  it("adds up the latencies of every rule that applies", async () => {
    const { clock, submit } = setup({
      scenarios: {
        "*": rules({ fault: { kind: "latency", latency: { type: "fixed", ms: 100 } } }),
        freepik: rules({ fault: { kind: "latency", latency: { type: "fixed", ms: 250 } } }),
      },
    });
    const pending = submit();
    await clock.advance(349);
    expect(handled).toHaveLength(0);
    await clock.advance(1);
    expect((await pending).status).toBe(200);
  });

  it("latency first, then a short-circuit fault answered by faultResponse", async () => {
    const { clock, sim, submit } = setup({
      scenarios: {
        freepik: rules(
          { fault: { kind: "outage" } },
          { fault: { kind: "latency", latency: { type: "fixed", ms: 200 } } },
        ),
      },
    });
    const pending = submit();
    await clock.advance(200);
    const response = await pending;
    expect(response.status).toBe(503);
    expect(bodyOf(response)).toEqual({ tiny_error: "down" });
    expect(handled).toHaveLength(0);
    expect(sim.namespace().journal.list()[0]!.faults).toEqual(["latency", "outage"]);
  });

  it("hang and reset come before short-circuit faults, whatever the rule order", async () => {
    const { sim, submit } = setup();
    sim.setScenario("default", "freepik", "outage");
    const reset = await submit(scenario("reset"));
    expect(reset).toEqual({ status: 0, headers: {}, body: { kind: "empty" }, transport: { kind: "reset" } });
    const hang = await submit(scenario("timeout"));
    expect(hang.transport).toEqual({ kind: "hang" });
    const journal = sim.namespace().journal.list();
    expect(journal.map((e) => [e.status, e.faults])).toEqual([
      [0, ["reset"]],
      [0, ["hang"]],
    ]);
    expect(handled).toHaveLength(0);
  });

  it("short-circuit faults come before authentication", async () => {
    const { call } = setup();
    const response = await call("POST", "/jobs", { authorization: "", ...scenario("outage") });
    expect(response.status).toBe(503);
    const authFailure = await call("POST", "/jobs", scenario("auth-failure"));
    expect(authFailure.status).toBe(401);
    expect(bodyOf(authFailure)).toEqual({ tiny_error: "fault: bad key" });
  });

  it("passes a rate limit's Retry-After through the provider's answer", async () => {
    const { submit } = setup();
    const response = await submit(scenario("rate-limited"));
    expect(response.status).toBe(429);
    expect(response.headers["retry-after"]).toBe("2");
  });

  it("hands task-level faults to the handler and journals them", async () => {
    const { sim, submit } = setup();
    const response = await submit(scenario("task-failure,stuck,no-credit"));
    expect(bodyOf(response)).toEqual({
      id: "job-1",
      status: "RUNNING",
      faults: ["task-failure", "stuck", "no-credit"],
    });
    expect(sim.namespace().journal.list()[0]!.faults).toEqual(["task-failure", "stuck", "no-credit"]);
  });

  it("flaky fires with its probability, from the namespace's seeded random", async () => {
    const always = setup({
      scenarios: { "*": rules({ fault: { kind: "flaky", probability: 1, status: 502 } }) },
    });
    expect((await always.submit()).status).toBe(502);
    const never = setup({ scenarios: { "*": rules({ fault: { kind: "flaky", probability: 0 } }) } });
    expect((await never.submit()).status).toBe(200);

    const statuses = async (seed: number, namespace: string) => {
      const { submit } = setup({ seed });
      const out: number[] = [];
      for (let i = 0; i < 40; i++) out.push((await submit(scenario("flaky"), namespace)).status);
      return out;
    };
    const a = await statuses(1, "n1");
    expect(await statuses(1, "n1")).toEqual(a);
    expect(await statuses(1, "n2")).not.toEqual(a);
    const failures = a.filter((s) => s === 503).length;
    expect(failures).toBeGreaterThan(4);
    expect(failures).toBeLessThan(24);
    expect(a.filter((s) => s !== 503 && s !== 200)).toEqual([]);
  });
});

describe("Simulator: malformed and slow bodies", () => {
  it("shape: a 2xx JSON object keeps its keys with null values", async () => {
    const { sim, submit } = setup();
    const response = await submit(scenario("malformed"));
    expect(response.status).toBe(200);
    expect(bodyOf(response)).toEqual({ id: null, status: null, faults: null });
    expect(sim.namespace().journal.list()[0]!.faults).toEqual(["malformed"]);
  });

  it("shape: a non-object body is wrapped", async () => {
    const { call } = setup();
    const response = await call("GET", "/list", scenario("malformed"));
    expect(bodyOf(response)).toEqual({ unexpected: [1, 2, 3] });
  });

  it("truncated: half the JSON text, as text", async () => {
    const { submit } = setup({
      scenarios: { freepik: rules({ fault: { kind: "malformed", mode: "truncated" } }) },
    });
    const response = await submit();
    const full = JSON.stringify({ id: "job-1", status: "RUNNING", faults: [] });
    expect(response.body).toEqual({ kind: "text", value: full.slice(0, Math.floor(full.length / 2)) });
    expect(() => JSON.parse((response.body as { value: string }).value)).toThrow();
  });

  it("errors are never malformed", async () => {
    const { sim, call } = setup();
    const response = await call("POST", "/jobs", { authorization: "nope", ...scenario("malformed") });
    expect(response.status).toBe(401);
    expect(bodyOf(response)).toEqual({ tiny_error: "who are you" });
    expect(sim.namespace().journal.list()[0]!.faults).toEqual([]);
  });

  it("binary bodies pass malformed untouched; slow-body asks the transport to trickle", async () => {
    const { sim, call } = setup({
      scenarios: {
        freepik: rules(
          { fault: { kind: "malformed" } },
          { fault: { kind: "slow-body", bytesPerSecond: 1_024 } },
        ),
      },
    });
    const response = await call("GET", "/files/a.png", {}, { host: "cdn" });
    expect(response.body).toEqual({ kind: "bytes", value: new Uint8Array([1, 2, 3]) });
    expect(response.transport).toEqual({ kind: "slow", bytesPerSecond: 1_024 });
    expect(sim.namespace().journal.list()[0]!.faults).toEqual(["malformed", "slow-body"]);
  });
});

describe("Simulator: attempts and scenario levels", () => {
  it("counts attempts per (provider, phase) per namespace", async () => {
    const { sim, submit, call } = setup();
    sim.setScenario("default", "freepik", "rate-limited");
    const seen = [
      (await submit()).status,
      (await submit()).status,
      (await call("GET", "/jobs/job-1")).status,
      (await submit()).status,
      (await call("GET", "/jobs/job-1")).status,
      (await call("GET", "/jobs/job-1")).status,
    ];
    expect(seen).toEqual([429, 429, 429, 200, 429, 200]);
    expect(Object.fromEntries(sim.namespace().attempts)).toEqual({
      "freepik:submit": 3,
      "freepik:status": 3,
    });
    // Another namespace counts from 1.
    sim.setScenario("other", "freepik", "rate-limited");
    expect((await submit({}, "other")).status).toBe(429);
    expect(sim.namespace("other").attempts.get("freepik:submit")).toBe(1);
  });

  it("setting a scenario restarts the attempt count; clearScenario removes it", async () => {
    const { sim, submit } = setup();
    sim.setScenario("default", "*", "rate-limited");
    await submit();
    await submit();
    expect((await submit()).status).toBe(200);
    expect(sim.setScenario("default", "*", "rate-limited")).toEqual([]);
    expect((await submit()).status).toBe(429);
    sim.clearScenario("default");
    expect((await submit()).status).toBe(200);
    expect(Object.fromEntries(sim.namespace().attempts)).toEqual({ "freepik:submit": 1 });
  });

  it("setScenario refuses unknown presets and changes nothing", () => {
    const { sim } = setup();
    expect(sim.setScenario("default", "freepik", "outage,nope,worse")).toEqual(["nope", "worse"]);
    expect([...sim.namespace().scenarios]).toEqual([]);
  });

  it("keeps a namespace's scenario as given, and a replaced or cleared one stops applying", async () => {
    const { sim, submit } = setup();
    sim.setScenario("default", "freepik", " outage ,");
    expect(Object.fromEntries(sim.namespace().scenarios)).toEqual({ freepik: " outage ," });
    expect((await submit()).status).toBe(503);
    sim.setScenario("default", "freepik", "auth-failure");
    expect((await submit()).status).toBe(401);
    sim.clearScenario("default", "freepik");
    expect((await submit()).status).toBe(200);
    // A spec put in the map directly still applies.
    sim.namespace().scenarios.set("freepik", "outage");
    expect((await submit()).status).toBe(503);
  });

  it("presets combine: every rule of a level applies", async () => {
    const { sim, submit } = setup();
    sim.setScenario("default", "freepik", "task-failure,malformed");
    const response = await submit();
    expect(bodyOf(response)).toEqual({ id: null, status: null, faults: null });
    expect(sim.namespace().journal.list()[0]!.faults).toEqual(["task-failure", "malformed"]);
  });

  it("latency from a general level still applies under a more specific scenario", async () => {
    const { clock, submit } = setup({
      scenarios: { "*": rules({ fault: { kind: "latency", latency: { type: "fixed", ms: 100 } } }) },
    });
    const pending = submit(scenario("task-failure"));
    await clock.advance(99);
    expect(handled).toHaveLength(0);
    await clock.advance(1);
    expect(bodyOf(await pending)).toMatchObject({ faults: ["task-failure"] });
  });

  it("a namespace scenario overrides the simulator's (simulator < namespace)", async () => {
    const { sim, submit } = setup({ scenarios: { freepik: "outage" } });
    expect((await submit()).status).toBe(503);
    sim.setScenario("default", "freepik", "auth-failure");
    expect((await submit()).status).toBe(401);
  });

  it("a request header overrides the namespace's scenario (namespace < header)", async () => {
    const { sim, submit } = setup();
    sim.setScenario("default", "freepik", "outage");
    expect((await submit()).status).toBe(503);
    expect((await submit(scenario("rate-limited"))).status).toBe(429);
  });

  it("a request header overrides the simulator's scenario (simulator < header)", async () => {
    const { submit } = setup({ scenarios: { "*": "outage" } });
    expect((await submit(scenario("auth-failure"))).status).toBe(401);
  });

  it("a provider's own scenario overrides the one for every provider (* < provider)", async () => {
    const { sim, submit } = setup({ scenarios: { "*": "outage", freepik: "auth-failure" } });
    expect((await submit()).status).toBe(401);
    sim.setScenario("default", "*", "outage");
    sim.setScenario("default", "freepik", "rate-limited");
    expect((await submit()).status).toBe(429);
  });

  it("answers an unknown preset in the header through faultResponse with 400, without counting", async () => {
    const { sim, submit } = setup();
    const response = await submit(scenario("outage,nope"));
    const message = `Unknown scenario preset(s) in x-mock-scenario: nope. Known: ${presetNames.join(", ")}.`;
    expect(response.status).toBe(400);
    expect(bodyOf(response)).toEqual({ tiny_error: message });
    expect(handled).toHaveLength(0);
    expect([...sim.namespace().attempts]).toEqual([]);
    expect(sim.namespace().journal.list()[0]).toMatchObject({
      status: 400,
      faults: [],
      responseExcerpt: JSON.stringify({ tiny_error: message }).slice(0, 300),
    });
  });

  it("answers a header naming an Object.prototype member as an unknown preset (400), not a crash", async () => {
    const { submit } = setup();
    const response = await submit(scenario("constructor"));
    expect(response.status).toBe(400);
  });
});

describe("Simulator: journal", () => {
  it("records each exchange with redacted credentials, task id, sizes and fired faults", async () => {
    const { clock, sim, call } = setup();
    await clock.advance(5_000);
    await call("POST", "/jobs", { "x-trace": "abc" });
    await call("GET", "/jobs/job-1", scenario("outage"));
    const [created, failed] = sim.namespace().journal.list();
    expect(created).toMatchObject({
      seq: 1,
      time: START + 5_000,
      provider: "freepik",
      operation: "createJob",
      method: "POST",
      path: "/jobs",
      status: 200,
      requestBytes: 0,
      faults: [],
      taskId: "job-1",
    });
    expect(created!.headers).toEqual({
      authorization: expect.stringMatching(/^fp:[0-9a-f]{8}$/),
      "x-trace": "abc",
    });
    expect(JSON.stringify(created)).not.toContain("Bearer good");
    expect(created).not.toHaveProperty("responseExcerpt");
    expect(typeof created!.durationMs).toBe("number");
    expect(failed).toMatchObject({
      seq: 2,
      operation: "getJob",
      status: 503,
      faults: ["outage"],
      responseExcerpt: '{"tiny_error":"down"}',
    });
    expect(failed).not.toHaveProperty("taskId");
  });

  it("tells listeners about every exchange", async () => {
    const { sim, submit } = setup();
    const onExchange = vi.fn();
    sim.events.onExchange = onExchange;
    await submit({}, "team");
    expect(onExchange).toHaveBeenCalledTimes(1);
    expect(onExchange.mock.calls[0]![0]).toMatchObject({
      namespace: "team",
      provider: "freepik",
      operation: "createJob",
      response: { status: 200 },
    });
  });

  it("keeps at most journalCapacity entries", async () => {
    const { sim, submit } = setup({ journalCapacity: 2 });
    for (let i = 0; i < 5; i++) await submit();
    expect(
      sim
        .namespace()
        .journal.list()
        .map((e) => e.seq),
    ).toEqual([4, 5]);
  });
});

describe("Simulator: namespaces", () => {
  it("keep tasks, journal, scenarios and attempts apart", async () => {
    const { sim, submit, call } = setup();
    sim.setScenario("a", "freepik", "outage");
    expect((await submit({}, "a")).status).toBe(503);
    expect((await submit({}, "b")).status).toBe(200);
    expect((await submit()).status).toBe(200);
    expect(sim.namespace("a").tasks.size).toBe(0);
    expect(sim.namespace("b").tasks.size).toBe(1);
    expect(sim.namespace("a").journal.size).toBe(1);
    expect(sim.namespace("b").journal.size).toBe(1);
    expect((await call("GET", "/jobs/job-1", {}, { namespace: "a" })).status).toBe(503);
    expect((await call("GET", "/jobs/job-1", {}, { namespace: "c" })).status).toBe(404);
    expect(sim.namespaces().sort()).toEqual(["a", "b", "c", "default"]);
  });

  it("each namespace gets its own virtual clock, starting at the default clock's time", async () => {
    const { clock, sim } = setup();
    await clock.advance(10_000);
    const other = sim.namespace("other");
    expect(other.clock).not.toBe(clock);
    expect(other.clock.now()).toBe(START + 10_000);
    await clock.advance(5_000);
    expect(other.clock.now()).toBe(START + 10_000);
    expect(sim.namespace().clock).toBe(clock);
    expect(sim.namespace("other")).toBe(other);
  });

  it("namespace clocks inherit autoAdvance", () => {
    const sim = new Simulator([tiny], { clock: new VirtualClock({ autoAdvance: true }) });
    expect((sim.namespace("x").clock as VirtualClock).autoAdvance).toBe(true);
  });

  it("task transitions reach the provider with the namespace's webhook chaos", async () => {
    const { clock, sim, submit } = setup();
    sim.setScenario("default", "freepik", "webhook-chaos");
    await submit();
    await clock.advance(1_000);
    expect(transitions).toHaveLength(1);
    expect(transitions[0]!.view.state).toBe("DONE");
    expect(transitions[0]!.ns).toBe(sim.namespace());
    expect(transitions[0]!.chaos).toEqual({ drop: 0.2, duplicate: 0.3, delayMs: 5_000 });
    expect(sim.namespace().attempts.get("freepik:webhook")).toBe(1);
  });

  it("task transitions carry no chaos without a webhook-chaos scenario, and reach event listeners", async () => {
    const { clock, sim, submit } = setup();
    const onTaskTransition = vi.fn();
    sim.events.onTaskTransition = onTaskTransition;
    await submit({}, "n");
    await (sim.namespace("n").clock as VirtualClock).advance(1_000);
    expect(transitions).toHaveLength(1);
    expect(transitions[0]).not.toHaveProperty("chaos");
    expect(onTaskTransition).toHaveBeenCalledWith(
      "n",
      expect.objectContaining({ id: "job-1" }),
      expect.anything(),
    );
    expect(clock.now()).toBe(START);
  });
});

describe("Simulator: reset", () => {
  it("reset(namespace) forgets that namespace's state only", async () => {
    const { sim, submit } = setup();
    sim.setScenario("a", "freepik", "rate-limited");
    await submit({}, "a");
    sim.setScenario("b", "freepik", "rate-limited");
    await submit({}, "b");
    sim.services.files.put({
      id: "fa",
      namespace: "a",
      provider: "freepik",
      contentType: "image/png",
      data: new Uint8Array(1),
      createdAt: 0,
      expiresAt: 1,
    });
    sim.services.files.put({
      id: "fb",
      namespace: "b",
      provider: "freepik",
      contentType: "image/png",
      data: new Uint8Array(1),
      createdAt: 0,
      expiresAt: 1,
    });
    sim.namespace("a").providerState.set("x", 1);
    sim.reset("a");
    const a = sim.namespace("a");
    expect([a.journal.size, a.tasks.size, a.scenarios.size, a.attempts.size, a.providerState.size]).toEqual([
      0, 0, 0, 0, 0,
    ]);
    expect(sim.services.files.get("fa")).toBeUndefined();
    const b = sim.namespace("b");
    expect([b.journal.size, b.scenarios.size, b.attempts.size]).toEqual([1, 1, 1]);
    expect(sim.services.files.get("fb")).toBeDefined();
    // With the scenario gone, namespace a answers normally again.
    expect((await submit({}, "a")).status).toBe(200);
  });

  it("reset() forgets every namespace; an unknown name is ignored", async () => {
    const { sim, submit } = setup();
    await submit({}, "a");
    await submit({}, "b");
    sim.reset("never-seen");
    expect(sim.namespaces()).not.toContain("never-seen");
    sim.reset();
    expect(sim.namespace("a").journal.size).toBe(0);
    expect(sim.namespace("b").tasks.size).toBe(0);
  });
});
