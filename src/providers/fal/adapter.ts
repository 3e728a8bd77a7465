/**
 * fal.ai `fal-ai/ideogram/upscale`. Queue mode (default): submit on queue.fal.run, poll the
 * status URL fal hands back, fetch the result, cancel on timeout or abort. Sync mode: one held
 * request on fal.run. Bytes go as a data URI when small, else through fal storage (initiate on
 * rest.fal.ai, then PUT to the pre-signed upload URL, which gets no credentials). A run that
 * ends COMPLETED and then answers its result with 422 failed; content_policy_violation is a
 * ContentPolicyError.
 */
import type { paths as queuePaths } from "../../../generated/fal.ts";
import type { paths as syncPaths } from "../../../generated/fal-sync.ts";
import {
  type CallContext,
  checkedRequest,
  doneStatus,
  handleOutput,
  type ProviderAdapter,
  type ProviderModule,
} from "../../core/adapter.ts";
import {
  ApiError,
  ContentPolicyError,
  InsufficientCreditError,
  TaskFailedError,
  UnsafeUrlError,
} from "../../core/errors.ts";
import { originsOf } from "../../core/facts.ts";
import {
  attempt,
  classifyHttpError,
  createApiClient,
  type ErrorContext,
  errorOf,
  rawExchange,
  type Transport,
  truncate,
} from "../../core/http.ts";
import { contentTypeOf, formatFromName } from "../../core/image-size.ts";
import { type BytesInput, decodeDataUri, type PreparedInput, toDataUri } from "../../core/input.ts";
import { percentKnob, twoXOnly, type Warnings } from "../../core/mapping.ts";
import type { LogLine, OperationHandle, OperationStatus } from "../../core/types.ts";
import { describe } from "../../core/url-policy.ts";
import { falFacts } from "./facts.ts";
import type { FalUpscaleOptions } from "./options.ts";
import {
  CancelResponse,
  QueueStatus,
  QueueSubmitResponse,
  StorageInitiateResponse,
  UpscaleInput,
  UpscaleOutput,
  WebhookPayload,
} from "./schemas.ts";

const defaultDataUriMaxBytes = 256 * 1024;
const model = "/fal-ai/ideogram";
const infraTypes = new Set([
  "internal_error",
  "runner_incomplete_response",
  "runner_scheduling_failure",
  "request_timeout",
]);

interface FalDetailItem {
  loc?: unknown[];
  msg?: unknown;
  type?: unknown;
}

function detailItems(body: unknown): FalDetailItem[] {
  const detail = (body as { detail?: unknown } | undefined)?.detail;
  return Array.isArray(detail) ? (detail as FalDetailItem[]) : [];
}

function detailText(body: unknown): string | undefined {
  const detail = (body as { detail?: unknown } | undefined)?.detail;
  if (typeof detail === "string") return detail;
  const first = detailItems(body)[0];
  if (first && typeof first.msg === "string") return first.msg;
  return typeof body === "string" && body ? body : undefined;
}

/** fal's errors; on the result read a 422 is the run's failure, not the caller's input. */
function mapError(ctx: ErrorContext): Error {
  const message = detailText(ctx.body);
  const items = detailItems(ctx.body);
  const type = typeof items[0]?.type === "string" ? (items[0].type as string) : undefined;
  const base = {
    provider: "fal" as const,
    status: ctx.status,
    body: ctx.body,
    ...(ctx.requestId ? { requestId: ctx.requestId } : {}),
  };
  const said = message ? ` (fal says: ${truncate(message, 160)})` : "";
  if (type === "content_policy_violation") {
    return new ContentPolicyError(
      `Failed to ${ctx.operation} on fal: the content checker flagged it${said}. Change the image or the prompt.`,
      { ...base, errorType: type, ...(ctx.requestId ? { taskId: ctx.requestId } : {}) },
    );
  }
  if (ctx.status === 403 && message && /balance|locked/i.test(message)) {
    return new InsufficientCreditError(
      `Failed to ${ctx.operation} on fal: the account is out of credit${said}. Top up at fal.ai/dashboard/billing, or use another provider.`,
      base,
    );
  }
  const retryable = ctx.headers.get("x-fal-retryable");
  if (ctx.status === 422 && ctx.operation === "read the result") {
    return new TaskFailedError(
      `Failed to upscale on fal: the run ended with ${type ?? "an error"}${said}. Check the input image, or try another provider.`,
      { ...base, ...(type ? { errorType: type } : {}), retryable: retryable === "true" },
    );
  }
  const fieldErrors = items.map((item) => ({
    field: (Array.isArray(item.loc) ? item.loc : []).filter((p) => p !== "body").join(".") || "body",
    message: String(item.msg ?? ""),
  }));
  const mapped = classifyHttpError(ctx, {
    ...(message ? { message } : {}),
    ...(fieldErrors.length ? { fieldErrors } : {}),
  });
  if (retryable === "true" && mapped instanceof ApiError && !mapped.retryable) {
    return new ApiError(mapped.message, { ...base, retryable: true });
  }
  return mapped;
}

function statusOf(wire: QueueStatus, raw: unknown): OperationStatus {
  const logs: LogLine[] | undefined =
    "logs" in wire && wire.logs
      ? wire.logs.map((l) => ({ message: l.message, level: l.level, timestamp: l.timestamp }))
      : undefined;
  const base = {
    provider: "fal" as const,
    id: wire.request_id,
    providerState: wire.status,
    raw,
    ...(logs ? { logs } : {}),
  };
  if (wire.status === "IN_QUEUE") return { ...base, state: "queued", queuePosition: wire.queue_position };
  if (wire.status === "IN_PROGRESS") return { ...base, state: "running" };
  if (wire.error || wire.error_type) {
    const type = wire.error_type ?? "error";
    return {
      ...base,
      state: type === "request_cancelled" ? "canceled" : "failed",
      error: { type, message: wire.error ?? type },
    };
  }
  return { ...base, state: "succeeded" };
}

/** A fal webhook body as the common status shape. */
export function falWebhookStatus(payload: unknown): OperationStatus {
  const body = WebhookPayload.parse(payload);
  const base = { provider: "fal" as const, id: body.request_id, raw: payload };
  if (body.status === "OK" && body.payload)
    return { ...base, state: "succeeded", providerState: "OK", output: body.payload };
  if (body.status === "OK")
    return {
      ...base,
      state: "failed",
      providerState: "OK",
      error: { type: "payload_error", message: "payload_error" in body ? body.payload_error : "no payload" },
    };
  const type = detailItems(body.payload)[0]?.type;
  const errorType =
    typeof type === "string" ? type : ((body.payload as { error_type?: string }).error_type ?? "error");
  return {
    ...base,
    state: "failed",
    providerState: "ERROR",
    error: { type: errorType, message: detailText(body.payload) ?? body.error },
  };
}

export function createFalAdapter(transport: Transport, bases: Record<string, string>): ProviderAdapter {
  const queueBase = bases.queue!.replace(/\/+$/, "");
  const queue = createApiClient<queuePaths>(queueBase, transport);
  const rest = createApiClient<queuePaths>(bases.rest!, transport);
  const run = createApiClient<syncPaths>(bases.run!, transport);
  const opts = (operation: string) => ({
    operation,
    mapError,
    requestIdOf: (headers: Headers) => headers.get("x-fal-request-id") ?? undefined,
  });

  /** The request id in a URL fal handed back, refusing URLs off the configured queue host. */
  function requestIdIn(url: string | undefined, handle: OperationHandle): string {
    if (!url) return handle.id;
    const path = url.split(/[?#]/)[0]!;
    const match = path.startsWith(`${queueBase}/`)
      ? new RegExp(`^${model}(?:/upscale)?/requests/([^/]+)(?:/status|/cancel)?/?$`).exec(
          path.slice(queueBase.length),
        )
      : null;
    if (!match) {
      throw new UnsafeUrlError(
        `Failed to follow fal's URL ${describe(url)}: it is not a request URL on the configured queue host ${queueBase}, so no credentials are sent to it. Use the handle start() returned with the same baseUrls.`,
        { provider: "fal", url },
      );
    }
    return decodeURIComponent(match[1]!);
  }

  async function upload(ctx: CallContext, image: BytesInput): Promise<string> {
    const operation = "upload the image";
    const { value } = await ctx.send(
      "upload",
      { ...opts(operation), schema: StorageInitiateResponse },
      (signal) =>
        rest.POST("/storage/upload/initiate", {
          params: { query: { storage_type: "fal-cdn-v3" } },
          body: { content_type: image.contentType, file_name: image.fileName },
          parseAs: "text",
          signal,
        }),
    );
    const target = transport.policy.check(value.upload_url, "upload URL");
    transport.policy.check(value.file_url, "uploaded file URL");
    const put = opts("put the image on fal storage");
    await ctx.retry("upload", put.operation, async () => {
      const exchange = await attempt(transport, put.operation, ctx.signal, (signal) =>
        rawExchange(
          transport,
          target.href,
          { method: "PUT", body: image.bytes, headers: { "content-type": image.contentType } },
          signal,
        ),
      );
      if (!exchange.response.ok) throw errorOf(transport, put, exchange);
    });
    return value.file_url;
  }

  async function imageUrl(
    ctx: CallContext,
    input: PreparedInput,
    options: FalUpscaleOptions,
  ): Promise<string> {
    if (input.kind === "url") return input.url;
    const native = options.providerOptions?.fal ?? {};
    const mode = native.upload ?? "auto";
    const limit = native.dataUriMaxBytes ?? defaultDataUriMaxBytes;
    if (mode === "data-uri" || (mode === "auto" && input.bytes.byteLength <= limit)) return toDataUri(input);
    return upload(ctx, input);
  }

  function body(url: string, options: FalUpscaleOptions, warnings: Warnings) {
    const native = options.providerOptions?.fal ?? {};
    const resemblance = percentKnob(options.resemblance, 1, 100, "resemblance", warnings);
    const detail = percentKnob(options.detail, 1, 100, "detail", warnings);
    if (options.numImages !== undefined && options.numImages !== 1)
      warnings.dropped(`numImages ${options.numImages}`, "returns one image per run");
    const candidate = {
      image_url: url,
      ...(options.prompt ? { prompt: options.prompt } : {}),
      ...(resemblance !== undefined ? { resemblance } : {}),
      ...(detail !== undefined ? { detail } : {}),
      ...(native.expand_prompt !== undefined ? { expand_prompt: native.expand_prompt } : {}),
      ...(options.seed !== undefined ? { seed: Math.round(options.seed) } : {}),
      ...(native.sync_mode !== undefined ? { sync_mode: native.sync_mode } : {}),
    };
    return checkedRequest("fal", UpscaleInput, candidate, "Fix the input or options");
  }

  return {
    id: "fal",

    async start(ctx, input, options: FalUpscaleOptions, warnings) {
      const native = options.providerOptions?.fal ?? {};
      const scale = twoXOnly(options.scale, warnings);
      const payload = body(await imageUrl(ctx, input, options), options, warnings);
      const operation = "submit the upscale";
      if (native.mode === "sync") {
        if (options.webhookUrl)
          warnings.dropped("webhookUrl", "sends webhooks for queued runs only (mode: queue)");
        const { raw, response } = await ctx.send(
          "start",
          { ...opts(operation), schema: UpscaleOutput },
          (signal) =>
            run.POST("/fal-ai/ideogram/upscale", {
              body: payload,
              params: {
                header: {
                  ...(native.startTimeoutSeconds
                    ? { "x-fal-request-timeout": native.startTimeoutSeconds }
                    : {}),
                },
              },
              parseAs: "text",
              signal,
            }),
        );
        const id = response.headers.get("x-fal-request-id") ?? ctx.clientRequestId;
        return { id, state: "done", output: raw, scale };
      }
      const { value } = await ctx.send(
        "start",
        { ...opts(operation), schema: QueueSubmitResponse },
        (signal) =>
          queue.POST("/fal-ai/ideogram/upscale", {
            body: payload,
            params: {
              query: options.webhookUrl ? { fal_webhook: options.webhookUrl } : {},
              header: {
                ...(native.priority ? { "x-fal-queue-priority": native.priority } : {}),
                ...(native.startTimeoutSeconds
                  ? { "x-fal-request-timeout": native.startTimeoutSeconds }
                  : {}),
              },
            },
            parseAs: "text",
            signal,
          }),
      );
      const handle = { id: value.request_id } as OperationHandle;
      // Refuse URLs off the configured queue host now rather than when they are first followed.
      for (const url of [value.status_url, value.response_url, value.cancel_url]) requestIdIn(url, handle);
      return {
        id: value.request_id,
        state: "pending",
        urls: { status: value.status_url, result: value.response_url, cancel: value.cancel_url },
        scale,
      };
    },

    async status(ctx, handle) {
      if (handle.state === "done") {
        handleOutput(UpscaleOutput, handle);
        return doneStatus(handle);
      }
      const id = requestIdIn(handle.urls?.status, handle);
      const operation = "read the status";
      const { value, raw } = await ctx.send("read", { ...opts(operation), schema: QueueStatus }, (signal) =>
        queue.GET("/fal-ai/ideogram/requests/{request_id}/status", {
          params: { path: { request_id: id }, query: { logs: 1 } },
          parseAs: "text",
          signal,
        }),
      );
      return statusOf(value, raw);
    },

    async result(ctx, handle) {
      let output: ReturnType<typeof UpscaleOutput.parse>;
      let raw: unknown;
      if (handle.state === "done") {
        output = handleOutput(UpscaleOutput, handle);
        raw = handle.output;
      } else {
        const id = requestIdIn(handle.urls?.result, handle);
        const operation = "read the result";
        ({ value: output, raw } = await ctx.send(
          "read",
          { ...opts(operation), schema: UpscaleOutput },
          (signal) =>
            queue.GET("/fal-ai/ideogram/requests/{request_id}", {
              params: { path: { request_id: id } },
              parseAs: "text",
              signal,
            }),
        ));
      }
      const images = output.images.map((file) => {
        const format = formatFromName(file.file_name ?? file.url);
        const contentType = file.content_type ?? (format ? contentTypeOf[format] : undefined);
        const inline = file.url.startsWith("data:") ? decodeDataUri(file.url) : undefined;
        return {
          url: file.url,
          ...(file.width !== undefined ? { width: file.width } : {}),
          ...(file.height !== undefined ? { height: file.height } : {}),
          ...(contentType ? { contentType } : {}),
          ...(inline ? { bytes: inline.bytes } : {}),
        };
      });
      return { images, seed: output.seed, raw };
    },

    async cancel(ctx, handle) {
      if (handle.state === "done") return false;
      const id = requestIdIn(handle.urls?.cancel, handle);
      const operation = "cancel the request";
      try {
        await ctx.send("read", { ...opts(operation), schema: CancelResponse }, (signal) =>
          queue.PUT("/fal-ai/ideogram/requests/{request_id}/cancel", {
            params: { path: { request_id: id } },
            parseAs: "text",
            signal,
          }),
        );
        return true;
      } catch (error) {
        if (error instanceof ApiError && (error.status === 400 || error.status === 404)) return false;
        throw error;
      }
    },

    failure(status, handle) {
      const type = status.error?.type ?? "error";
      const message = status.error?.message ?? "the run failed";
      const options = {
        provider: "fal" as const,
        status: 200,
        body: status.raw,
        taskId: handle.id,
        errorType: type,
      };
      if (type === "content_policy_violation") {
        return new ContentPolicyError(
          `Failed to upscale on fal: the content checker flagged request ${handle.id} (${message}). Change the image or the prompt.`,
          options,
        );
      }
      if (status.state === "canceled") {
        return new TaskFailedError(
          `Failed to upscale on fal: request ${handle.id} was cancelled. Start it again.`,
          options,
        );
      }
      return new TaskFailedError(
        `Failed to upscale on fal: request ${handle.id} ended with ${type} (${message}). ${
          infraTypes.has(type)
            ? "fal had trouble running it; retry or use another provider."
            : "Check the input image."
        }`,
        { ...options, retryable: infraTypes.has(type) },
      );
    },

    timeoutHint(state) {
      return state === "IN_QUEUE" ? "No fal runner picked it up." : undefined;
    },
  };
}

export const falModule: ProviderModule = {
  id: "fal",
  envKey: falFacts.envKey,
  defaultBases: originsOf(falFacts, falFacts.clientHosts),
  apiHosts: [...falFacts.apiHosts],
  resultHosts: falFacts.resultHosts,
  authHeaders: (key) => ({ Authorization: `Key ${key}` }),
  create: createFalAdapter,
};
