/**
 * The admin API's own routes, one small function each, keyed by `<METHOD> <route>` (an id in
 * the path reads as `:id`). admin-api.ts guards and dispatches; these only read or change the
 * simulator. The dashboard's computed views live in admin-views.ts.
 */
import type { IncomingMessage } from "node:http";
import { VirtualClock } from "../../src/core/clock.ts";
import { type ProviderId, providerIds } from "../../src/providers/ids.ts";
import { presetNames } from "../engine/faults.ts";
import { sniffedContentType } from "../engine/images.ts";
import { fingerprint } from "../engine/journal.ts";
import type { Simulator } from "../engine/simulator.ts";
import { type Task, taskStates } from "../engine/tasks.ts";
import type { AdminContext } from "./admin-api.ts";
import { journalEntries, journalNamespaces } from "./journal-read.ts";
import { readBody } from "./node-adapter.ts";
import { recentUpscales } from "./upscale-read.ts";
import { webhookDeliveries } from "./webhook-read.ts";

export type Answer = { status: number; body: unknown; type?: string; raw?: Uint8Array; text?: string };

const ok = (body: unknown): Answer => ({ status: 200, body });
export const fail = (status: number, error: string): Answer => ({ status, body: { error } });

/** What one admin call brings: the request (for its body), the query and the path's id. */
export interface AdminCall {
  req: IncomingMessage;
  ctx: AdminContext;
  simulator: Simulator;
  query: URLSearchParams;
  /** The `namespace` query parameter, else "default". */
  namespace: string;
  id: string | undefined;
}

type Route = (call: AdminCall) => Answer | Promise<Answer>;

async function readJson(req: IncomingMessage): Promise<Record<string, unknown> | undefined> {
  const body = await readBody(req, 64 * 1024);
  if (!body.ok || body.body.byteLength === 0) return body.ok ? {} : undefined;
  try {
    const value = JSON.parse(Buffer.from(body.body).toString("utf8"));
    return value && typeof value === "object" && !Array.isArray(value) ? value : undefined;
  } catch {
    return undefined;
  }
}

function taskSummary(simulator: Simulator, task: Task) {
  const view = simulator.namespace(task.namespace).tasks.view(task);
  return {
    id: task.id,
    namespace: task.namespace,
    provider: task.provider,
    operation: task.operation,
    state: view.state,
    terminal: view.terminal,
    states: taskStates(task),
    createdAt: new Date(task.createdAt).toISOString(),
    finishesAt: Number.isFinite(view.finishesAt) ? new Date(view.finishesAt).toISOString() : null,
    polls: task.polls,
    fate: task.fate.kind,
    ...(view.failureReason ? { failureReason: view.failureReason } : {}),
  };
}

function health({ simulator }: AdminCall): Answer {
  return ok({
    status: "ok",
    providers: [...simulator.providers.keys()],
    namespaces: simulator.namespaces(),
    latency: simulator.services.latency,
    images: simulator.services.outputs.mode,
    files: { count: simulator.services.files.size, bytes: simulator.services.files.bytes },
    cache: { hits: simulator.services.images.hits, misses: simulator.services.images.misses },
    memory: { rssBytes: process.memoryUsage().rss },
    // Which process answered: under --workers (or behind a balancer) the answers differ.
    pid: process.pid,
    webhookSecret: fingerprint(simulator.services.webhookSecret),
    store: simulator.store?.kind ?? "memory",
  });
}

function proxyInfo({ ctx }: AdminCall): Answer {
  const proxy = ctx.server.proxy;
  if (!proxy) return fail(404, "The HTTPS proxy is off. Start the server with --proxy-port <port>.");
  const { url, caCertPath, caCertPem, caBundlePath, hosts, passthrough } = proxy;
  return ok({ url, caCertPath, caCertPem, caBundlePath, hosts, passthrough });
}

async function scenarios({ simulator, namespace }: AdminCall): Promise<Answer> {
  const ns = await simulator.synced(namespace);
  return ok({
    namespace,
    scenarios: Object.fromEntries(ns.scenarios),
    presets: presetNames,
    providers: providerIds,
  });
}

async function setScenario({ req, simulator, namespace }: AdminCall): Promise<Answer> {
  const body = await readJson(req);
  const provider = String(body?.provider ?? "*") as ProviderId | "*";
  const scenario = body?.scenario;
  if (typeof scenario !== "string")
    return fail(
      400,
      'Failed to set the scenario: send {"provider": "<id>|*", "scenario": "<preset>[,<preset>…]"}.',
    );
  if (provider !== "*" && !simulator.providers.has(provider))
    return fail(400, `Failed to set the scenario: unknown provider "${provider}".`);
  const ns = String(body?.namespace ?? namespace);
  if (scenario === "" || scenario === "healthy") simulator.clearScenario(ns, provider);
  else {
    const unknown = simulator.setScenario(ns, provider, scenario);
    if (unknown.length > 0)
      return fail(
        400,
        `Failed to set the scenario: unknown preset(s) ${unknown.join(", ")}. Known: ${presetNames.join(", ")}.`,
      );
  }
  // With a shared store, answer once every replica can see the change.
  await simulator.settle();
  return ok({ namespace: ns, scenarios: Object.fromEntries(simulator.namespace(ns).scenarios) });
}

async function clearScenario({ simulator, query, namespace }: AdminCall): Promise<Answer> {
  const provider = query.get("provider") as ProviderId | "*" | null;
  simulator.clearScenario(namespace, provider ?? undefined);
  await simulator.settle();
  return ok({ namespace, scenarios: Object.fromEntries(simulator.namespace(namespace).scenarios) });
}

async function journal({ simulator, query }: AdminCall): Promise<Answer> {
  const status = query.get("status");
  const entries = await journalEntries(
    simulator,
    await journalNamespaces(simulator, query.get("namespace")),
    {
      ...(query.get("provider") ? { provider: query.get("provider")! } : {}),
      ...(status ? { status: Number(status) } : {}),
      ...(query.get("since") ? { since: Number(query.get("since")) } : {}),
    },
  );
  const limit = Number(query.get("limit") ?? 200);
  return ok({ entries: entries.slice(-limit) });
}

// With replicas, every replica's tasks, in the namespaces any of them journaled in. `limit`
// keeps each namespace's newest (the dashboard shows a few), and loads no more than those.
async function tasks({ simulator, query }: AdminCall): Promise<Answer> {
  const provider = query.get("provider") ?? undefined;
  const limit = Number(query.get("limit"));
  const newest = Number.isInteger(limit) && limit > 0 ? limit : undefined;
  const listed: Task[] = [];
  for (const name of await journalNamespaces(simulator, query.get("namespace")))
    listed.push(...(await simulator.listTasks(name, provider, newest)));
  return ok({ tasks: listed.map((t) => taskSummary(simulator, t)) });
}

// With replicas, the task as the shared store holds it, wherever it was created.
function task({ simulator, namespace, id }: AdminCall): Promise<Answer> {
  return simulator.withTask(namespace, id!, (_ns, found) =>
    found ? ok(taskSummary(simulator, found)) : fail(404, `No task ${id} in namespace "${namespace}".`),
  );
}

async function forceTaskState({ req, simulator, namespace, id }: AdminCall): Promise<Answer> {
  const body = await readJson(req);
  return simulator.withTask(String(body?.namespace ?? namespace), id!, (ns, found) => {
    if (!found) return fail(404, `No task ${id} in namespace "${ns.name}".`);
    const state = body?.state;
    const allowed = taskStates(found);
    if (typeof state !== "string" || !allowed.includes(state)) {
      return fail(400, `Failed to force the state: send {"state": one of ${allowed.join(", ")}}.`);
    }
    // The body's other fields go to the task's data (e.g. a queue position, for Pact's
    // "IN_QUEUE at position N"); the store takes only those the task already records.
    const { namespace: _namespace, state: _state, reason, ...fields } = body!;
    ns.tasks.force(found, state, typeof reason === "string" ? reason : undefined, fields);
    return ok(taskSummary(simulator, found));
  });
}

/** Every replica's deliveries, with a shared store. */
async function webhooks(call: AdminCall): Promise<Answer> {
  const { simulator, query } = call;
  const filter = {
    ...(query.get("provider") ? { provider: query.get("provider")! } : {}),
    ...(query.get("task") ? { taskId: query.get("task")! } : {}),
  };
  const names = await journalNamespaces(simulator, query.get("namespace") && call.namespace);
  return ok({ deliveries: await webhookDeliveries(simulator, names, filter) });
}

async function clock({ simulator, namespace }: AdminCall): Promise<Answer> {
  // With a shared store, the time another replica's admin API moved it to.
  const current = (await simulator.synced(namespace)).clock;
  return ok({
    namespace,
    mode: current instanceof VirtualClock ? "virtual" : "real",
    now: new Date(current.now()).toISOString(),
  });
}

async function advanceClock({ req, simulator, namespace, id }: AdminCall): Promise<Answer> {
  if (id !== "advance") return fail(404, "Unknown clock action: use POST /__admin/clock/advance.");
  const body = await readJson(req);
  const ns = await simulator.synced(String(body?.namespace ?? namespace));
  if (!(ns.clock instanceof VirtualClock))
    return fail(
      409,
      "Failed to advance the clock: this server runs on real time. Start it with --clock virtual.",
    );
  const ms = Number(body?.ms ?? 0);
  if (!Number.isFinite(ms) || ms < 0 || ms > 30 * 24 * 3600 * 1000)
    return fail(400, 'Failed to advance the clock: send {"ms": <0..30 days in ms>}.');
  await ns.clock.advance(ms);
  await simulator.shared?.clock.moved(ns);
  return ok({ namespace: ns.name, now: new Date(ns.clock.now()).toISOString() });
}

async function settings({ simulator, namespace }: AdminCall): Promise<Answer> {
  return ok({ namespace, settings: Object.fromEntries((await simulator.synced(namespace)).settings) });
}

async function changeSetting({ req, simulator, namespace }: AdminCall): Promise<Answer> {
  const body = await readJson(req);
  if (typeof body?.key !== "string" || typeof body.value !== "string")
    return fail(400, 'Failed to change a setting: send {"key": "chainhub.mode", "value": "passthrough"}.');
  const ns = await simulator.synced(String(body.namespace ?? namespace));
  simulator.setSetting(ns.name, body.key, body.value);
  await simulator.settle();
  return ok({ namespace: ns.name, settings: Object.fromEntries(ns.settings) });
}

async function reset({ req, simulator, query, namespace }: AdminCall): Promise<Answer> {
  const body = await readJson(req);
  // No namespace in the body or the query: every namespace is reset.
  simulator.reset(
    body?.namespace === undefined && !query.get("namespace")
      ? undefined
      : String(body?.namespace ?? namespace),
  );
  await simulator.settle();
  return ok({ reset: true });
}

// With replicas, the newest any replica made (in the namespace asked for, else in every one).
async function upscales({ simulator, query }: AdminCall): Promise<Answer> {
  const limit = Number(query.get("limit") ?? 6);
  const names = await journalNamespaces(simulator, query.get("namespace"));
  return ok({ upscales: await recentUpscales(simulator, names, limit) });
}

// `?namespace=`: also a file or result another replica stored in it (a result is rendered here).
async function file({ simulator, query, id }: AdminCall): Promise<Answer> {
  const namespace = query.get("namespace");
  const found =
    simulator.services.files.get(id!) ??
    (namespace && simulator.store ? await simulator.services.outputs.get(id!, namespace) : undefined);
  if (!found) return fail(404, `No file ${id}.`);
  return {
    status: 200,
    body: null,
    raw: found.data,
    type: sniffedContentType(found.data, found.contentType),
  };
}

/** Every admin route but the dashboard's views, by `<METHOD> <route>`. */
export const adminRoutes = new Map<string, Route>([
  ["GET health", health],
  ["GET server", ({ ctx }) => ok(ctx.server)],
  ["GET proxy", proxyInfo],
  ["GET scenarios", scenarios],
  ["PUT scenarios", setScenario],
  ["POST scenarios", setScenario],
  ["DELETE scenarios", clearScenario],
  ["GET journal", journal],
  ["GET tasks", tasks],
  ["GET tasks/:id", task],
  ["POST tasks/:id/state", forceTaskState],
  ["GET webhooks", webhooks],
  ["GET clock", clock],
  ["POST clock/:id", advanceClock],
  ["GET settings", settings],
  ["PUT settings", changeSetting],
  ["POST reset", reset],
  ["GET upscales", upscales],
  ["GET files/:id", file],
]);
