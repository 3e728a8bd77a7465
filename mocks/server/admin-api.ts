/**
 * The admin API under /__admin: health, scenarios, journal, tasks (list, inspect, force a state),
 * webhooks, clock, settings, reset, result files, and the dashboard page. JSON in, JSON out.
 * Same-origin only (no CORS headers); a token when one is configured.
 */
import { createHash, timingSafeEqual } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { VirtualClock } from "../../src/core/clock.ts";
import { type ProviderId, providerIds } from "../../src/providers/ids.ts";
import { presetNames } from "../engine/faults.ts";
import { sniffedContentType } from "../engine/images.ts";
import { fingerprint } from "../engine/journal.ts";
import type { Simulator } from "../engine/simulator.ts";
import { type Task, taskStates } from "../engine/tasks.ts";
import type { ProxyInfo } from "../proxy/proxy.ts";
import { adminRefusal } from "./admin-guard.ts";
import { viewRoute } from "./admin-views.ts";
import { dashboardFile, dashboardHeaders } from "./dashboard.ts";
import { journalEntries, journalNamespaces } from "./journal-read.ts";
import { readBody } from "./node-adapter.ts";

export interface AdminContext {
  simulator: Simulator;
  path: string;
  query: string;
  adminToken: string | undefined;
  server: {
    url: string;
    urls: Record<string, string>;
    providerPorts: Array<{ provider: string; url: string }>;
    proxy?: ProxyInfo;
  };
}

type Answer = { status: number; body: unknown; type?: string; raw?: Uint8Array; text?: string };

const ok = (body: unknown): Answer => ({ status: 200, body });
const fail = (status: number, error: string): Answer => ({ status, body: { error } });

export async function handleAdmin(
  req: IncomingMessage,
  res: ServerResponse,
  ctx: AdminContext,
): Promise<void> {
  const answer = await route(req, ctx);
  // Every /__admin answer carries the dashboard's policy: nothing here may be framed, and a
  // JSON answer opened as a page runs nothing.
  const headers = { "cache-control": "no-store", "x-content-type-options": "nosniff", ...dashboardHeaders };
  if (answer.raw) {
    res.writeHead(answer.status, { "content-type": answer.type ?? "application/octet-stream", ...headers });
    res.end(answer.raw);
    return;
  }
  res.writeHead(answer.status, { "content-type": answer.type ?? "application/json", ...headers });
  res.end(answer.text ?? JSON.stringify(answer.body));
}

function authorised(req: IncomingMessage, token: string | undefined, query: URLSearchParams): boolean {
  if (!token) return true;
  const given =
    (req.headers["x-admin-token"] as string | undefined) ??
    req.headers.authorization?.replace(/^Bearer\s+/i, "") ??
    query.get("token") ??
    "";
  // Both sides are hashed first, so the comparison takes the same time whatever the length or
  // content of the guess (a length check before timingSafeEqual would leak the token's length).
  return timingSafeEqual(digest(given), digest(token));
}

const digest = (text: string) => createHash("sha256").update(text).digest();

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

async function route(req: IncomingMessage, ctx: AdminContext): Promise<Answer> {
  const { simulator } = ctx;
  const query = new URLSearchParams(ctx.query);
  const method = req.method ?? "GET";
  const sub = ctx.path.replace(/^\/__admin\/?/, "").replace(/\/$/, "");
  // Before the token: a cross-site write is refused even when no token is set.
  const refusal = adminRefusal(req);
  if (refusal) return fail(refusal.status, refusal.error);
  const page = method === "GET" ? dashboardFile(sub) : undefined;
  // The page and its files are harmless; every data call the page makes carries the token.
  if (page) return { status: 200, body: null, text: page.text, type: page.type };
  if (!authorised(req, ctx.adminToken, query)) {
    return fail(
      401,
      "Failed to authorise the admin request: send the admin token in x-admin-token. Start the server with --admin-token to set it.",
    );
  }
  const namespace = query.get("namespace") ?? "default";
  const [head, id, action] = sub.split("/");

  const routeKey = `${head ?? ""}${action ? `/:id/${action}` : id ? "/:id" : ""}`;
  const view =
    method === "GET" ? await viewRoute(routeKey, id, { simulator, query, server: ctx.server }) : undefined;
  if (view) return view;
  switch (`${method} ${routeKey}`) {
    case "GET health":
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
    case "GET server":
      return ok(ctx.server);
    case "GET proxy": {
      const proxy = ctx.server.proxy;
      if (!proxy) return fail(404, "The HTTPS proxy is off. Start the server with --proxy-port <port>.");
      const { url, caCertPath, caCertPem, caBundlePath, hosts, passthrough } = proxy;
      return ok({ url, caCertPath, caCertPem, caBundlePath, hosts, passthrough });
    }
    case "GET scenarios": {
      const ns = await simulator.synced(namespace);
      return ok({
        namespace,
        scenarios: Object.fromEntries(ns.scenarios),
        presets: presetNames,
        providers: providerIds,
      });
    }
    case "PUT scenarios":
    case "POST scenarios": {
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
    case "DELETE scenarios": {
      const provider = query.get("provider") as ProviderId | "*" | null;
      simulator.clearScenario(namespace, provider ?? undefined);
      await simulator.settle();
      return ok({ namespace, scenarios: Object.fromEntries(simulator.namespace(namespace).scenarios) });
    }
    case "GET journal": {
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
    case "GET tasks": {
      const names = query.get("namespace") ? [namespace] : simulator.namespaces();
      const provider = query.get("provider");
      const tasks = names
        .flatMap((name) => simulator.namespace(name).tasks.list())
        .filter((t) => !provider || t.provider === provider);
      return ok({ tasks: tasks.map((t) => taskSummary(simulator, t)) });
    }
    // With replicas, the task as the shared store holds it, wherever it was created.
    case "GET tasks/:id":
      return simulator.withTask(namespace, id!, (_ns, task) =>
        task ? ok(taskSummary(simulator, task)) : fail(404, `No task ${id} in namespace "${namespace}".`),
      );
    case "POST tasks/:id/state": {
      const body = await readJson(req);
      return simulator.withTask(String(body?.namespace ?? namespace), id!, (ns, task) => {
        if (!task) return fail(404, `No task ${id} in namespace "${ns.name}".`);
        const state = body?.state;
        const allowed = taskStates(task);
        if (typeof state !== "string" || !allowed.includes(state)) {
          return fail(400, `Failed to force the state: send {"state": one of ${allowed.join(", ")}}.`);
        }
        // The body's other fields go to the task's data (e.g. a queue position, for Pact's
        // "IN_QUEUE at position N"); the store takes only those the task already records.
        const { namespace: _namespace, state: _state, reason, ...fields } = body!;
        ns.tasks.force(task, state, typeof reason === "string" ? reason : undefined, fields);
        return ok(taskSummary(simulator, task));
      });
    }
    case "GET webhooks": {
      const names = query.get("namespace") ? [namespace] : simulator.namespaces();
      const deliveries = names.flatMap((name) =>
        simulator.namespace(name).webhooks.list({
          ...(query.get("provider") ? { provider: query.get("provider")! } : {}),
          ...(query.get("task") ? { taskId: query.get("task")! } : {}),
        }),
      );
      return ok({ deliveries });
    }
    case "GET clock": {
      // With a shared store, the time another replica's admin API moved it to.
      const clock = (await simulator.synced(namespace)).clock;
      return ok({
        namespace,
        mode: clock instanceof VirtualClock ? "virtual" : "real",
        now: new Date(clock.now()).toISOString(),
      });
    }
    case "POST clock/:id": {
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
    case "GET settings":
      return ok({ namespace, settings: Object.fromEntries(simulator.namespace(namespace).settings) });
    case "PUT settings": {
      const body = await readJson(req);
      if (typeof body?.key !== "string" || typeof body.value !== "string")
        return fail(
          400,
          'Failed to change a setting: send {"key": "chainhub.mode", "value": "passthrough"}.',
        );
      const ns = simulator.namespace(String(body.namespace ?? namespace));
      ns.settings.set(body.key, body.value);
      return ok({ namespace: ns.name, settings: Object.fromEntries(ns.settings) });
    }
    case "POST reset": {
      const body = await readJson(req);
      simulator.reset(
        body?.namespace === undefined && !query.get("namespace")
          ? undefined
          : String(body?.namespace ?? namespace),
      );
      await simulator.settle();
      return ok({ reset: true });
    }
    case "GET upscales": {
      const files = simulator.services.files;
      const limit = Number(query.get("limit") ?? 6);
      const recent = files
        .list()
        .filter((f) => f.sourceId)
        .slice(-limit)
        .reverse()
        .map((f) => ({
          provider: f.provider,
          namespace: f.namespace,
          output: f.id,
          source: f.sourceId,
          width: f.width,
          height: f.height,
          contentType: f.contentType,
        }));
      return ok({ upscales: recent });
    }
    case "GET files/:id": {
      const file = simulator.services.files.get(id!);
      if (!file) return fail(404, `No file ${id}.`);
      return {
        status: 200,
        body: null,
        raw: file.data,
        type: sniffedContentType(file.data, file.contentType),
      };
    }
    default:
      return fail(404, `Unknown admin route ${method} /__admin/${sub}. See README "Admin API".`);
  }
}
