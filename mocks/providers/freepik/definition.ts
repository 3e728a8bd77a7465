/**
 * Freepik Magnific: creative, precision and precision-v2 upscalers as async tasks
 * (IN_PROGRESS → COMPLETED | FAILED, the documented enum), polled or announced by signed
 * webhooks. CREATED appears only where a report says so: a task accepted on an account out of
 * credit stays CREATED. Behaviour per docs/providers.md "freepik"; wire shapes per
 * specs/freepik.yaml.
 */
import { randomUUID } from "node:crypto";
import type { z } from "zod";
import { freepikFacts } from "../../../src/providers/freepik/facts.ts";
import {
  CreativeUpscaleRequest,
  PrecisionUpscaleRequest,
  PrecisionV2UpscaleRequest,
} from "../../../src/providers/freepik/schemas.ts";
import type { Fault } from "../../engine/faults.ts";
import { decodeBase64Strict, inspectImage } from "../../engine/images.ts";
import {
  type ProviderDefinition,
  providerLimit,
  type Route,
  type RouteContext,
  type SimulatorServices,
  type TransitionContext,
} from "../../engine/provider.ts";
import { bytes, json, type SimRequest, type SimResponse, text } from "../../engine/sim-http.ts";
import type { Stage, Task, TaskView } from "../../engine/tasks.ts";
import type { SignableDelivery } from "../../engine/webhooks.ts";
import { answerFault } from "../common/fault-answers.ts";
import { readInputUrl } from "../common/input-url.ts";
import { fateFromFaults, hasFault, sampleDuration } from "../common/lifecycle.ts";
import { reserveUpscale, serveOutput } from "../common/render.ts";
import { parseJsonRequest } from "../common/validation.ts";
import { freepikSignature } from "./signature.ts";

const resultTtlMs = 24 * 60 * 60 * 1000;
const taskRetentionMs = 24 * 60 * 60 * 1000;
/** Our retry policy for webhooks (Freepik documents none): five retries, growing. */
const webhookBackoffMs = [5_000, 30_000, 120_000, 600_000, 1_800_000];

interface FreepikTaskData {
  kind: Kind;
  outputId: string;
  /** Where the result is served, fixed at submit (webhooks fire outside any request). */
  resultUrl: string;
  webhookUrl?: string;
}

type Kind = "creative" | "precision" | "precision-v2";

interface KindSpec {
  base: string;
  schema: z.ZodType<{ image: string; webhook_url?: string | undefined }>;
  ops: { create: string; get: string; list: string };
  /** The factor the output is enlarged by. */
  scale(body: Record<string, unknown>): number;
  /** Whether `image` may be an URL (precision-v2) or only base64. */
  acceptsUrl: boolean;
}

const kinds: Record<Kind, KindSpec> = {
  creative: {
    base: "/v1/ai/image-upscaler",
    schema: CreativeUpscaleRequest,
    ops: { create: "createUpscale", get: "getUpscale", list: "listUpscales" },
    scale: (body) => Number.parseInt(String(body.scale_factor ?? "2x"), 10),
    acceptsUrl: false,
  },
  precision: {
    base: "/v1/ai/image-upscaler-precision",
    schema: PrecisionUpscaleRequest,
    ops: { create: "createPrecisionUpscale", get: "getPrecisionUpscale", list: "listPrecisionUpscales" },
    // Precision v1 takes no factor; it doubles, like the creative default.
    scale: () => 2,
    acceptsUrl: false,
  },
  "precision-v2": {
    base: "/v1/ai/image-upscaler-precision-v2",
    schema: PrecisionV2UpscaleRequest,
    ops: {
      create: "createPrecisionV2Upscale",
      get: "getPrecisionV2Upscale",
      list: "listPrecisionV2Upscales",
    },
    scale: (body) => Number(body.scale_factor ?? 2),
    acceptsUrl: true,
  },
};

const message = (status: number, text: string, headers: Record<string, string> = {}) =>
  json(status, { message: text }, headers);

const badRequest = (text: string) => message(400, text);

function invalidParams(issues: Array<{ name: string; reason: string }>): SimResponse {
  return {
    status: 400,
    headers: { "content-type": "application/problem+json" },
    body: {
      kind: "json",
      value: {
        message: "Your request parameters didn't validate.",
        invalid_params: issues.map(({ name, reason }) => ({ name, reason })),
      },
    },
  };
}

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Base64 only, except precision-v2 which also takes an URL: the simulator's own files, or a
 * remote input (mocks/engine/remote-inputs.ts).
 */
async function readImage(
  ctx: RouteContext,
  image: string,
  spec: KindSpec,
): Promise<Uint8Array | SimResponse> {
  if (/^https?:\/\//i.test(image)) {
    if (!spec.acceptsUrl) {
      return invalidParams([
        {
          name: "image",
          reason:
            "Parameter 'image' must be a base64-encoded image, not a URL. Send the file's bytes in base64.",
        },
      ]);
    }
    const data = await readInputUrl(ctx, image);
    if (!data) return badRequest("The image could not be downloaded from the given URL.");
    return data;
  }
  if (image.startsWith("data:")) {
    return invalidParams([
      { name: "image", reason: "Parameter 'image' must be plain base64 without a 'data:' prefix." },
    ]);
  }
  const decoded = decodeBase64Strict(image);
  if (!decoded) return invalidParams([{ name: "image", reason: "Parameter 'image' is not valid base64." }]);
  return decoded;
}

function taskBody(task: Task<FreepikTaskData>, view: TaskView) {
  const generated = view.state === "COMPLETED" ? [task.data.resultUrl] : [];
  return { task_id: task.id, status: view.state, generated };
}

function outputUrl(url: RouteContext["url"], id: string): string {
  return url("cdn", `/content/mg-upscaler/${id}.png`);
}

/**
 * The documented answer to a submit is IN_PROGRESS, held until the run ends. An account out of
 * credit gets a task that never starts and stays CREATED, as users report.
 */
function stagesFor(ctx: RouteContext, scale: number): Stage[] {
  if (hasFault(ctx, "no-credit")) return [{ state: "CREATED", durationMs: 0 }];
  // Bigger factors take longer: 2x is 10–60 s, 16x several minutes.
  const factor = Math.max(1, Math.log2(scale));
  return [
    {
      state: "IN_PROGRESS",
      durationMs: sampleDuration(ctx, [11_000 * factor ** 2, 63_000 * factor ** 1.2]),
    },
  ];
}

function submitRoute(kind: Kind): Route {
  const spec = kinds[kind];
  return {
    host: "api",
    method: "POST",
    path: spec.base,
    operation: spec.ops.create,
    phase: "submit",
    async handle(ctx) {
      const parsed = parseJsonRequest(ctx.req, spec.schema);
      if (!parsed.ok) {
        if (parsed.kind === "invalid") return invalidParams(parsed.issues);
        return badRequest(parsed.reason);
      }
      const body = parsed.value as Record<string, unknown> & { image: string; webhook_url?: string };
      const input = await readImage(ctx, body.image, spec);
      if (!(input instanceof Uint8Array)) return input;
      const scale = spec.scale(body);
      const inspected = await inspectImage(
        input,
        {
          maxInputBytes: ctx.sim.limits.maxJsonBytes,
          maxInputPixels: ctx.sim.limits.maxInputPixels,
          maxOutputPixels: providerLimit(ctx, "maxOutputPixels"),
        },
        scale,
      );
      if (!inspected.ok) {
        if (inspected.problem === "too-many-output-pixels") return badRequest(inspected.reason);
        return invalidParams([{ name: "image", reason: inspected.reason }]);
      }
      const fate = fateFromFaults(ctx, "The upscaling process failed.", true);
      const outputId = reserveUpscale(ctx, { input, scale, ttlMs: resultTtlMs });
      const task = ctx.ns.tasks.create<FreepikTaskData>(
        {
          id: randomUUID(),
          provider: "freepik",
          operation: kind,
          stages: stagesFor(ctx, scale),
          success: "COMPLETED",
          failure: "FAILED",
          forceOnly: ["CREATED"],
          fate,
          retentionMs: taskRetentionMs,
          data: {
            kind,
            outputId,
            resultUrl: outputUrl(ctx.url, outputId),
            ...(body.webhook_url ? { webhookUrl: body.webhook_url } : {}),
          },
        },
        Boolean(body.webhook_url),
      );
      if (!task)
        return message(429, "Too many tasks in progress. Please try again later.", { "retry-after": "5" });
      ctx.noteTask(task.id);
      const view = ctx.ns.tasks.view(task);
      return json(200, { data: taskBody(task, view) });
    },
  };
}

function statusRoute(kind: Kind): Route {
  const spec = kinds[kind];
  return {
    host: "api",
    method: "GET",
    path: `${spec.base}/:taskId`,
    operation: spec.ops.get,
    phase: "status",
    pollsTask: "taskId",
    handle(ctx) {
      const id = ctx.params.taskId!;
      if (!uuidPattern.test(id)) return badRequest("Parameter 'task-id' must be a valid UUID.");
      const task = ctx.ns.tasks.get<FreepikTaskData>(id);
      if (!task || task.data.kind !== kind) return message(404, "Task not found");
      ctx.noteTask(id);
      const view = ctx.ns.tasks.poll(task);
      return json(200, { data: taskBody(task, view) });
    },
  };
}

function listRoute(kind: Kind): Route {
  const spec = kinds[kind];
  return {
    host: "api",
    method: "GET",
    path: spec.base,
    operation: spec.ops.list,
    phase: "status",
    // Every replica's tasks, with a shared store: an app's list does not depend on who answers.
    listsTasks: true,
    handle(ctx) {
      const data = ctx.ns.tasks
        .list()
        .filter((task) => task.provider === "freepik" && (task as Task<FreepikTaskData>).data.kind === kind)
        .map((task) => ({ task_id: task.id, status: ctx.ns.tasks.view(task).state }));
      return json(200, { data });
    },
  };
}

const downloadRoute: Route = {
  host: "cdn",
  method: "GET",
  path: "/content/mg-upscaler/:file",
  operation: "downloadResult",
  phase: "download",
  auth: false,
  async handle(ctx) {
    const id = ctx.params.file!.replace(/\.png$/, "");
    const served = await serveOutput(ctx, id);
    if (served.kind === "ok")
      return bytes(200, served.data, served.contentType, { "cache-control": "private, max-age=86400" });
    if (served.kind === "expired") return text(403, "Access denied: the link has expired.");
    return text(404, "Not found");
  },
};

const apiRoutes: Route[] = (Object.keys(kinds) as Kind[]).flatMap((kind) => [
  submitRoute(kind),
  statusRoute(kind),
  listRoute(kind),
]);

function authenticate(req: SimRequest): SimResponse | undefined {
  const key = req.headers["x-freepik-api-key"] ?? req.headers["x-magnific-api-key"];
  if (key === undefined || key.trim() === "") return message(401, "Missing API key");
  return undefined;
}

const statusMessages: Record<number, string> = {
  400: "Parameter ':attribute' is not valid",
  401: "Invalid API key",
  404: "Not found",
  429: "Rate limit exceeded. Please try again later.",
  500: "Internal Server Error",
  503: "Service Unavailable. Please try again later.",
};

function faultResponse(fault: Fault): SimResponse {
  return answerFault(fault, { error: message, messages: statusMessages });
}

/** Sends the task object (no `data` wrapper) at each status change, signed per attempt. */
function onTaskTransition({ ns, task, view, chaos }: TransitionContext): void {
  const freepikTask = task as Task<FreepikTaskData>;
  const { webhookUrl } = freepikTask.data;
  if (!webhookUrl) return;
  ns.webhooks.enqueue({
    namespace: ns.name,
    provider: "freepik",
    url: webhookUrl,
    taskId: task.id,
    event: view.state,
    body: JSON.stringify(taskBody(freepikTask, view)),
    // One id for every attempt of this message (Standard Webhooks): receivers dedupe by it.
    signing: { webhookId: randomUUID() },
    backoffMs: webhookBackoffMs,
    random: ns.random,
    ...(chaos ? { chaos } : {}),
  });
}

/** Signs one attempt with the (shared) webhook secret, at the attempt's own time. */
function signWebhook(sim: SimulatorServices, delivery: SignableDelivery, at: number): Record<string, string> {
  const webhookId = delivery.signing.webhookId ?? "";
  const timestamp = Math.floor(at / 1000);
  return {
    "webhook-id": webhookId,
    "webhook-timestamp": String(timestamp),
    "webhook-signature": freepikSignature(sim.webhookSecret, webhookId, timestamp, delivery.body),
  };
}

export const freepik: ProviderDefinition = {
  id: "freepik",
  hosts: freepikFacts.hosts,
  credentialHeaders: freepikFacts.credentialHeaders,
  limits: freepikFacts.limits,
  // api.magnific.com serves the same API as api.freepik.com.
  routes: [...apiRoutes, ...apiRoutes.map((route) => ({ ...route, host: "magnific" })), downloadRoute],
  authenticate,
  faultResponse,
  notFound: () => message(404, "Not found"),
  bodyTooLarge: (_route, limit) => badRequest(`The request body is larger than ${limit} bytes.`),
  onTaskTransition,
  signWebhook,
};
