/**
 * fal's queue on queue.fal.run: submit (optionally with `fal_webhook`), then status (polled or as
 * Server-Sent Events), result and cancel, each on the short URL form fal hands out
 * (`/fal-ai/ideogram/requests/<id>…`) and on the long form with `/upscale`.
 */
import { createHash, randomUUID } from "node:crypto";
import type { NamespaceState, Route, RouteContext, SimulatorServices } from "../../engine/provider.ts";
import { json, type SimRequest, type SimResponse } from "../../engine/sim-http.ts";
import { withCurrentTask } from "../../engine/task-access.ts";
import type { Stage } from "../../engine/tasks.ts";
import { fateFromFaults, hasFault, sampleDuration } from "../common/lifecycle.ts";
import { upscaleFactor } from "../ideogram-family/results.ts";
import {
  answer,
  contentPolicyViolation,
  detail,
  exhaustedBalance,
  infraError,
  requestNotFound,
  validationError,
  withRequestId,
} from "./errors.ts";
import { loadImage, parseUpscaleInput, requestTimeoutMs } from "./input.ts";
import { buildOutput, type OutputPlan, planOutput, randomSeed } from "./output.ts";
import {
  type FalTask,
  type FalTaskData,
  failed,
  outcomeOf,
  type PlannedLog,
  type RunError,
  runErrorOf,
  succeeded,
  wireStatus,
} from "./run-state.ts";

const model = "/fal-ai/ideogram";
/** Latency defaults (docs/providers.md "fal": 5–20 s); the queue wait is ours. */
const queueWaitMs: [number, number] = [1_000, 6_000];
const runMs: [number, number] = [5_000, 20_000];
/** A run whose input cannot be read fails soon after it starts. */
const failFastMs: [number, number] = [300, 1_500];
/** How long a finished request stays retrievable [ours]. */
const retentionMs = 24 * 60 * 60 * 1000;
const streamIntervalMs = 500;
/** The status stream closes after this long; clients reconnect [ours]. */
const streamMaxMs = 30 * 60 * 1000;

/** A stable, non-secret user id for the key (webhooks carry it). */
export function userIdOf(req: SimRequest): string {
  const key = /^Key\s+(.+)$/.exec(req.headers.authorization ?? "")?.[1] ?? "";
  return `user_${createHash("sha256").update(key.split(":")[0]!).digest("hex").slice(0, 16)}`;
}

function isHttpUrl(text: string): boolean {
  try {
    return /^https?:$/.test(new URL(text).protocol);
  } catch {
    return false;
  }
}

function successLogs(width: number, height: number, syncMode: boolean): PlannedLog[] {
  return [
    { at: 0, level: "INFO", message: "Downloading input image..." },
    { at: 0.05, level: "INFO", message: `Input image: ${width}x${height}` },
    {
      at: 0.1,
      level: "INFO",
      message: `Upscaling to ${width * upscaleFactor}x${height * upscaleFactor}...`,
    },
    { at: 0.5, level: "INFO", message: "Upscaling: 50% done" },
    { at: 0.85, level: "INFO", message: "Running content safety checker..." },
    ...(syncMode ? [] : [{ at: 0.95, level: "INFO" as const, message: "Uploading result..." }]),
  ];
}

interface RunPlan {
  stages: Stage[];
  fate: ReturnType<typeof fateFromFaults>;
  plan?: OutputPlan;
  runError?: RunError;
  logs: PlannedLog[];
  waitMs: number;
}

async function planRun(
  ctx: RouteContext,
  imageUrl: string,
  syncMode: boolean,
  seed: number,
): Promise<RunPlan> {
  const lowPriority = ctx.req.headers["x-fal-queue-priority"] === "low";
  const waitMs = sampleDuration(ctx, queueWaitMs) * (lowPriority ? 2 : 1);
  const timeoutMs = requestTimeoutMs(ctx);
  const fate = fateFromFaults(ctx, "content_policy_violation");
  if (timeoutMs !== undefined && (fate.kind === "stuck" || waitMs > timeoutMs)) {
    // x-fal-request-timeout: the run did not start in time, so it ends without ever running.
    return {
      stages: [{ state: "IN_QUEUE", durationMs: timeoutMs }],
      fate: { kind: "failure", reason: "request_timeout" },
      runError: runErrorOf(
        infraError("request_timeout", "Request timed out before it started (x-fal-request-timeout).", true),
      ),
      logs: [],
      waitMs,
    };
  }
  const image = await loadImage(ctx, imageUrl);
  if (!image.ok) {
    const runError = runErrorOf(image.error);
    return {
      stages: [
        { state: "IN_QUEUE", durationMs: waitMs },
        { state: "IN_PROGRESS", durationMs: sampleDuration(ctx, failFastMs) },
      ],
      fate: fate.kind === "stuck" ? fate : { kind: "failure", reason: runError.errorType },
      runError,
      logs: [
        { at: 0, level: "INFO", message: "Downloading input image..." },
        { at: 0.9, level: "ERROR", message: runError.message },
      ],
      waitMs,
    };
  }
  const stages: Stage[] = [
    { state: "IN_QUEUE", durationMs: waitMs },
    { state: "IN_PROGRESS", durationMs: sampleDuration(ctx, runMs) },
  ];
  const logs = successLogs(image.width, image.height, syncMode);
  if (fate.kind === "failure") {
    const runError = runErrorOf(contentPolicyViolation());
    logs.push({ at: 0.9, level: "ERROR", message: runError.message });
    return { stages, fate, runError, logs, waitMs };
  }
  return { stages, fate, plan: planOutput(ctx, image, syncMode, seed), logs, waitMs };
}

const submit: Route = {
  host: "queue",
  method: "POST",
  path: `${model}/upscale`,
  operation: "submitUpscale",
  phase: "submit",
  async handle(ctx) {
    if (hasFault(ctx, "no-credit")) return withRequestId(exhaustedBalance());
    const parsed = parseUpscaleInput(ctx);
    if (!parsed.ok) return withRequestId(answer(parsed.error));
    const webhookUrl = ctx.req.query.get("fal_webhook") ?? undefined;
    if (webhookUrl !== undefined && !isHttpUrl(webhookUrl)) {
      return withRequestId(
        answer(
          validationError([
            {
              loc: ["query", "fal_webhook"],
              msg: "Input should be a valid URL, relative URL without a base",
              type: "url_parsing",
              input: webhookUrl,
            },
          ]),
        ),
      );
    }
    const { input } = parsed;
    const seed = input.seed ?? randomSeed(ctx.ns.random);
    const run = await planRun(ctx, input.image_url, input.sync_mode ?? false, seed);
    const id = randomUUID();
    const urls = {
      response: ctx.url("queue", `${model}/requests/${id}`),
      status: ctx.url("queue", `${model}/requests/${id}/status`),
      cancel: ctx.url("queue", `${model}/requests/${id}/cancel`),
    };
    const task = ctx.ns.tasks.create<FalTaskData>(
      {
        id,
        provider: "fal",
        operation: "upscale",
        stages: run.stages,
        success: succeeded,
        failure: failed,
        fate: run.fate,
        retentionMs,
        data: {
          userId: userIdOf(ctx.req),
          urls,
          queuePosition: Math.min(9, Math.floor(run.waitMs / 1_250)),
          logs: run.logs,
          ...(webhookUrl ? { webhookUrl } : {}),
          ...(run.plan ? { plan: run.plan } : {}),
          ...(run.runError ? { runError: run.runError } : {}),
        },
      },
      webhookUrl !== undefined,
    );
    if (!task)
      return withRequestId(
        detail(429, "Too many requests in the queue. Please slow down.", { "retry-after": "5" }),
      );
    ctx.noteTask(id);
    const status = wireStatus(task, ctx.ns.tasks.view(task), false);
    const queuePosition = status.status === "IN_QUEUE" ? status.queue_position : 0;
    return withRequestId(
      json(200, {
        status: "IN_QUEUE",
        request_id: id,
        response_url: urls.response,
        status_url: urls.status,
        cancel_url: urls.cancel,
        queue_position: queuePosition,
      }),
      id,
    );
  },
};

function findTask(ctx: RouteContext): FalTask | undefined {
  const task = ctx.ns.tasks.get<FalTaskData>(ctx.params.requestId!);
  if (task?.provider !== "fal") return undefined;
  ctx.noteTask(task.id);
  return task;
}

const wantsLogs = (ctx: RouteContext) => ["1", "true"].includes(ctx.req.query.get("logs") ?? "");

async function* statusEvents(
  sim: SimulatorServices,
  ns: NamespaceState,
  id: string,
  withLogs: boolean,
): AsyncGenerator<string> {
  const closeAt = ns.clock.now() + streamMaxMs;
  let last = "";
  for (;;) {
    // The task as it stands now: on replicas, another one may have moved it.
    const read = await withCurrentTask(sim, ns, id, (task) => task && { task, view: ns.tasks.poll(task) });
    if (!read) return;
    const { view } = read;
    const text = JSON.stringify(wireStatus(read.task as FalTask, view, withLogs));
    if (text !== last) {
      last = text;
      yield `data: ${text}\n\n`;
    }
    if (view.terminal || ns.clock.now() >= closeAt) return;
    await ns.clock.sleep(streamIntervalMs);
  }
}

function requestRoutes(base: string, suffix: string): Route[] {
  return [
    {
      host: "queue",
      method: "GET",
      path: `${base}/requests/:requestId/status`,
      operation: `getRequestStatus${suffix}`,
      phase: "status",
      pollsTask: "requestId",
      handle(ctx) {
        const task = findTask(ctx);
        if (!task) return withRequestId(requestNotFound());
        const view = ctx.ns.tasks.poll(task);
        return withRequestId(json(200, wireStatus(task, view, wantsLogs(ctx))), task.id);
      },
    },
    {
      host: "queue",
      method: "GET",
      path: `${base}/requests/:requestId/status/stream`,
      operation: `streamRequestStatus${suffix}`,
      phase: "status",
      handle(ctx): SimResponse {
        const task = findTask(ctx);
        if (!task) return withRequestId(requestNotFound());
        return {
          status: 200,
          headers: {
            "content-type": "text/event-stream",
            "cache-control": "no-cache",
            "x-fal-request-id": task.id,
          },
          body: { kind: "stream", chunks: statusEvents(ctx.sim, ctx.ns, task.id, wantsLogs(ctx)) },
        };
      },
    },
    {
      host: "queue",
      method: "GET",
      path: `${base}/requests/:requestId`,
      operation: `getRequestResult${suffix}`,
      phase: "result",
      async handle(ctx) {
        const task = findTask(ctx);
        if (!task) return withRequestId(requestNotFound());
        const view = ctx.ns.tasks.refresh(task);
        if (!view.terminal) return withRequestId(detail(400, "Request is still in progress"), task.id);
        const outcome = outcomeOf(task, view);
        if (outcome.kind === "cancelled")
          return withRequestId(detail(400, "Request was cancelled."), task.id);
        if (outcome.kind === "error") return withRequestId(answer(outcome.error.answer), task.id);
        try {
          return withRequestId(json(200, await buildOutput(ctx.sim, outcome.plan, ctx.ns.name)), task.id);
        } catch {
          return withRequestId(answer(infraError("internal_error")), task.id);
        }
      },
    },
    {
      host: "queue",
      method: "PUT",
      path: `${base}/requests/:requestId/cancel`,
      operation: `cancelRequest${suffix}`,
      phase: "status",
      handle(ctx) {
        const task = findTask(ctx);
        if (!task) return withRequestId(json(404, { status: "NOT_FOUND" }));
        const view = ctx.ns.tasks.refresh(task);
        if (view.terminal) return withRequestId(json(400, { status: "ALREADY_COMPLETED" }), task.id);
        ctx.ns.tasks.cancel(task);
        return withRequestId(json(202, { status: "CANCELLATION_REQUESTED" }), task.id);
      },
    },
  ];
}

export const queueRoutes: Route[] = [
  submit,
  ...requestRoutes(model, ""),
  ...requestRoutes(`${model}/upscale`, "Long"),
];
