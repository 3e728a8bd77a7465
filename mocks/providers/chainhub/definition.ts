/**
 * chainhub's Ideogram upscale: Ideogram's multipart request behind `Authorization: Bearer` and a
 * required `Accept: application/json`. Task mode (default) answers chainhub's envelope and runs a
 * task `submitted → processing → succeed | failed`, queried at `GET /ideogram/upscale/:task_id`;
 * pass-through mode answers Ideogram's sync body. Mode: the namespace setting `chainhub.mode`
 * ("task" | "passthrough"), overridden per request by the header `x-mock-chainhub-mode`.
 * Behaviour per docs/providers.md "chainhub"; wire shapes per specs/chainhub.yaml.
 *
 * Errors are the envelope with a non-zero code (Kling's table, which chainhub's envelope copies):
 * 1000/401 auth, 1200/400 bad request (also a missing Accept and an oversize upload), 1101/402 out
 * of credit, 1203/404 unknown task, 1301/400 safety check (pass-through), 1302/429 rate limit,
 * 5000/500, 5001/503. Safety: `task-failure` fails the task (pass-through: 1301); a prompt with the
 * word "unsafe" fails the task too (pass-through: `is_image_safe: false`, `url: null`).
 */
import { randomUUID } from "node:crypto";
import { chainhubFacts } from "../../../src/providers/chainhub/facts.ts";
import type { Fault } from "../../engine/faults.ts";
import {
  multipartOverheadBytes,
  type ProviderDefinition,
  type Route,
  type RouteContext,
} from "../../engine/provider.ts";
import { bytes, hang, json, type SimRequest, type SimResponse, text } from "../../engine/sim-http.ts";
import type { Task, TaskView } from "../../engine/tasks.ts";
import { answerFault } from "../common/fault-answers.ts";
import { fateFromFaults, hasFault, sampleDuration } from "../common/lifecycle.ts";
import { serveOutput } from "../common/render.ts";
import { type FamilyRequest, readUpscaleRequest } from "../ideogram-family/request.ts";
import {
  type FamilyResult,
  isUnsafePrompt,
  produceResults,
  safetyCheckMessage,
  sampleWorkMs,
  workMs,
} from "../ideogram-family/results.ts";

export const modeSetting = "chainhub.mode";
export const modeHeader = "x-mock-chainhub-mode";
const modes = ["task", "passthrough"] as const;
type Mode = (typeof modes)[number];

const taskRetentionMs = 24 * 60 * 60 * 1000;
const filesPrefix = "/files/ideogram/";

const codes: Record<number, number> = {
  400: 1200,
  401: 1000,
  402: 1101,
  404: 1203,
  429: 1302,
  500: 5000,
  503: 5001,
};

function fail(
  status: number,
  message: string,
  code = codes[status] ?? 5000,
  headers: Record<string, string> = {},
) {
  return json(status, { code, message, request_id: randomUUID() }, headers);
}

interface ChainhubTaskData {
  images: Array<{ url: string; resolution: string; upscaled_resolution: string }>;
}

function resultUrl(ctx: RouteContext, id: string): string {
  return ctx.url("cdn", `${filesPrefix}${id}.png`);
}

/** chainhub requires `Accept: application/json`; anything else is a 400 envelope. */
function requireJsonAccept(req: SimRequest): SimResponse | undefined {
  if (/application\/json/i.test(req.headers.accept ?? "")) return undefined;
  return fail(400, "The Accept header is required and must be application/json.");
}

function modeOf(ctx: RouteContext): Mode | SimResponse {
  const header = ctx.req.headers[modeHeader];
  const chosen = header ?? ctx.ns.settings.get(modeSetting) ?? "task";
  if ((modes as readonly string[]).includes(chosen)) return chosen as Mode;
  return fail(
    400,
    `Unknown chainhub mode "${chosen}" (from ${header !== undefined ? `the ${modeHeader} header` : `the ${modeSetting} setting`}). Use "task" or "passthrough".`,
  );
}

/** When the task last changed state (Unix ms): the end of the last finished stage. */
function updatedAt(task: Task, view: TaskView, now: number): number {
  if (view.terminal) return Math.min(now, Number.isFinite(view.finishesAt) ? view.finishesAt : now);
  let at = task.createdAt;
  for (let i = 0; i < view.stageIndex; i++) at += task.stages[i]!.durationMs;
  return Math.min(now, at);
}

function taskData(task: Task<ChainhubTaskData>, view: TaskView, now: number) {
  return {
    task_id: task.id,
    task_status: view.state,
    ...(view.state === "failed" ? { task_status_msg: view.failureReason ?? safetyCheckMessage } : {}),
    created_at: Math.round(task.createdAt),
    updated_at: Math.round(updatedAt(task, view, now)),
    ...(view.state === "succeed" ? { task_result: { images: task.data.images } } : {}),
  };
}

function createTask(ctx: RouteContext, request: FamilyRequest): SimResponse {
  let fate = fateFromFaults(ctx, safetyCheckMessage);
  if (fate.kind === "success" && isUnsafePrompt(request.settings.prompt))
    fate = { kind: "failure", reason: safetyCheckMessage };
  const results = fate.kind === "failure" ? [] : produceResults(ctx, request);
  const task = ctx.ns.tasks.create<ChainhubTaskData>({
    id: randomUUID(),
    provider: "chainhub",
    operation: "ideogram-upscale",
    stages: [
      { state: "submitted", durationMs: sampleDuration(ctx, [1_000, 3_000]) },
      { state: "processing", durationMs: sampleDuration(ctx, workMs) },
    ],
    success: "succeed",
    failure: "failed",
    fate,
    retentionMs: taskRetentionMs,
    data: {
      images: results.map((result) => ({
        url: resultUrl(ctx, result.outputId!),
        resolution: result.resolution,
        upscaled_resolution: result.upscaled_resolution,
      })),
    },
  });
  if (!task) return fail(429, "Too many tasks in progress. Retry later.", 1302, { "retry-after": "5" });
  ctx.noteTask(task.id);
  const view = ctx.ns.tasks.view(task);
  const { task_id, task_status, created_at, updated_at } = taskData(task, view, ctx.ns.clock.now());
  return envelope({ task_id, task_status, created_at, updated_at });
}

function envelope(data: unknown): SimResponse {
  return json(200, { code: 0, message: "success", request_id: randomUUID(), data });
}

function passthroughImage(ctx: RouteContext, result: FamilyResult) {
  return {
    url: result.outputId ? resultUrl(ctx, result.outputId) : null,
    prompt: result.prompt,
    resolution: result.resolution,
    upscaled_resolution: result.upscaled_resolution,
    is_image_safe: result.safe,
    seed: result.seed,
  };
}

async function passthrough(ctx: RouteContext, request: FamilyRequest): Promise<SimResponse> {
  const failure = ctx.faults.find((fault) => fault.kind === "task-failure");
  if (failure) return fail(400, failure.reason ?? safetyCheckMessage, 1301);
  if (hasFault(ctx, "stuck")) return hang();
  const created = new Date(ctx.ns.clock.now()).toISOString();
  const results = produceResults(ctx, request);
  await ctx.work(sampleWorkMs(ctx));
  return json(200, { created, data: results.map((result) => passthroughImage(ctx, result)) });
}

const submitRoute: Route = {
  host: "api",
  method: "POST",
  path: "/ideogram/upscale",
  operation: "submitUpscale",
  phase: "submit",
  maxBodyBytes: (limits) => limits.maxUploadBytes + multipartOverheadBytes,
  async handle(ctx) {
    const accept = requireJsonAccept(ctx.req);
    if (accept) return accept;
    const mode = modeOf(ctx);
    if (typeof mode !== "string") return mode;
    if (hasFault(ctx, "no-credit"))
      return fail(402, "Insufficient account balance. Top up your chainhub account and retry.");
    const request = await readUpscaleRequest(ctx);
    if (!request.ok) return fail(400, request.message);
    return mode === "task" ? createTask(ctx, request) : passthrough(ctx, request);
  },
};

const statusRoute: Route = {
  host: "api",
  method: "GET",
  path: "/ideogram/upscale/:task_id",
  operation: "getUpscaleTask",
  phase: "status",
  pollsTask: "task_id",
  handle(ctx) {
    const accept = requireJsonAccept(ctx.req);
    if (accept) return accept;
    const id = ctx.params.task_id!;
    const task = ctx.ns.tasks.get<ChainhubTaskData>(id);
    if (task?.provider !== "chainhub")
      return fail(404, "Task not found. Use the data.task_id returned by POST /ideogram/upscale.");
    ctx.noteTask(id);
    const view = ctx.ns.tasks.poll(task);
    return envelope(taskData(task, view, ctx.ns.clock.now()));
  },
};

const downloadRoute: Route = {
  host: "cdn",
  method: "GET",
  path: `${filesPrefix}:file`,
  operation: "downloadResult",
  phase: "download",
  auth: false,
  async handle(ctx) {
    const served = await serveOutput(ctx, ctx.params.file!.replace(/\.png$/, ""));
    if (served.kind === "ok")
      return bytes(200, served.data, served.contentType, { "cache-control": "private, max-age=86400" });
    const [status, message] =
      served.kind === "expired"
        ? [403, "AccessDenied: the link has expired."]
        : [404, "NoSuchKey: not found."];
    return text(status, message);
  },
};

function authenticate(req: SimRequest): SimResponse | undefined {
  const authorization = req.headers.authorization;
  if (authorization === undefined || authorization.trim() === "")
    return fail(
      401,
      "Authentication failed: missing Authorization header. Send Authorization: Bearer <key>.",
    );
  if (!/^Bearer\s+\S+/i.test(authorization))
    return fail(401, "Authentication failed: the Authorization header must be Bearer <key>.");
  return undefined;
}

const statusMessages: Record<number, string> = {
  400: "Invalid request parameters",
  401: "Authentication failed: invalid API key",
  402: "Insufficient account balance",
  404: "Not found",
  429: "Rate limit exceeded, please retry later",
  500: "Internal server error",
  503: "Service temporarily unavailable, please retry later",
};

function faultResponse(fault: Fault): SimResponse {
  return answerFault(fault, {
    error: (status, text, headers) => fail(status, text, undefined, headers),
    messages: statusMessages,
  });
}

export const chainhub: ProviderDefinition = {
  id: "chainhub",
  hosts: chainhubFacts.hosts,
  credentialHeaders: chainhubFacts.credentialHeaders,
  routes: [submitRoute, statusRoute, downloadRoute],
  authenticate,
  faultResponse,
  notFound: () => fail(404, statusMessages[404]!),
  // chainhub answers an oversize upload like any bad request: 400, code 1200.
  bodyTooLarge: (_route, limit) =>
    fail(400, `The request body is larger than ${limit} bytes. Send an image_file of at most 10 MB.`),
};
