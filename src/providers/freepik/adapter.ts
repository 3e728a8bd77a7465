/**
 * Freepik Magnific (creative, precision, precision-v2): JSON with a base64 `image` (precision-v2
 * also takes a URL), an async task polled at `GET <endpoint>/<task-id>`, results in `generated`.
 * The body of each upscaler, and how the common values map onto it, is in `request.ts`.
 */
import type { paths } from "../../../generated/freepik.ts";
import type { CallContext, ProviderAdapter, ProviderModule, StartedJob } from "../../core/adapter.ts";
import { InsufficientCreditError, TaskFailedError } from "../../core/errors.ts";
import { originsOf } from "../../core/facts.ts";
import { classifyHttpError, createApiClient, type ErrorContext, type Transport } from "../../core/http.ts";
import { contentTypeOf, formatFromName } from "../../core/image-size.ts";
import { type PreparedInput, toBase64 } from "../../core/input.ts";
import { formatMs } from "../../core/poll.ts";
import { readState } from "../../core/tolerant-state.ts";
import type { OperationState, OperationStatus } from "../../core/types.ts";
import { freepikFacts } from "./facts.ts";
import type { FreepikUpscaleOptions } from "./options.ts";
import { type TaskRead, TaskResponseRead } from "./reader.ts";
import { creativeRequest, precisionRequest, precisionV2Request } from "./request.ts";

export type FreepikEndpoint = "creative" | "precision" | "precision-v2";

const defaultCreatedStallMs = 180_000;

/** The documented enum, plus CREATED (reported for accounts out of credit). */
const stateOf = {
  CREATED: "queued",
  IN_PROGRESS: "running",
  COMPLETED: "succeeded",
  FAILED: "failed",
} as const satisfies Record<string, OperationState>;

function mapError(ctx: ErrorContext): Error {
  const body = (ctx.body ?? {}) as { message?: unknown; invalid_params?: unknown };
  const message =
    typeof body.message === "string" ? body.message : typeof ctx.body === "string" ? ctx.body : undefined;
  const fieldErrors = Array.isArray(body.invalid_params)
    ? (body.invalid_params as Array<{ name?: unknown; reason?: unknown }>).map((p) => ({
        field: String(p.name ?? ""),
        message: String(p.reason ?? ""),
      }))
    : undefined;
  return classifyHttpError(ctx, { ...(message ? { message } : {}), ...(fieldErrors ? { fieldErrors } : {}) });
}

export function createFreepikAdapter(transport: Transport, bases: Record<string, string>): ProviderAdapter {
  const client = createApiClient<paths>(bases.api!, transport);
  const taskCall = (operation: string) => ({ operation, schema: TaskResponseRead, mapError });

  async function image(ctx: CallContext, input: PreparedInput, endpoint: FreepikEndpoint) {
    if (input.kind === "url" && endpoint === "precision-v2") return { image: input.url, info: undefined };
    const bytes = await ctx.materialize(input);
    return { image: toBase64(bytes.bytes), info: bytes.info };
  }

  return {
    id: "freepik",

    async start(ctx, input, options: FreepikUpscaleOptions, warnings): Promise<StartedJob> {
      const native = options.providerOptions?.freepik ?? {};
      const endpoint: FreepikEndpoint = native.endpoint ?? "creative";
      const { image: picture, info } = await image(ctx, input, endpoint);
      const common = {
        image: picture,
        ...(options.webhookUrl ? { webhook_url: options.webhookUrl } : {}),
      };
      if (options.seed !== undefined) warnings.dropped("seed", "takes no seed");
      if (options.numImages !== undefined && options.numImages !== 1)
        warnings.dropped(`numImages ${options.numImages}`, "returns one image per task");
      const operation = "submit the upscale";
      const size = { width: info?.width, height: info?.height };
      if (endpoint === "creative") {
        const { body, scale } = creativeRequest(common, options, size, warnings);
        const sent = await ctx.send("start", taskCall(operation), (signal) =>
          client.POST("/v1/ai/image-upscaler", { body, parseAs: "text", signal }),
        );
        return { id: sent.value.data.task_id, state: "pending", endpoint, scale };
      }
      if (endpoint === "precision") {
        const { body, scale } = precisionRequest(common, options, size, warnings);
        const sent = await ctx.send("start", taskCall(operation), (signal) =>
          client.POST("/v1/ai/image-upscaler-precision", { body, parseAs: "text", signal }),
        );
        return { id: sent.value.data.task_id, state: "pending", endpoint, scale };
      }
      const { body, scale } = precisionV2Request(common, options, size, warnings);
      const sent = await ctx.send("start", taskCall(operation), (signal) =>
        client.POST("/v1/ai/image-upscaler-precision-v2", { body, parseAs: "text", signal }),
      );
      return { id: sent.value.data.task_id, state: "pending", endpoint, scale };
    },

    async status(ctx, handle): Promise<OperationStatus> {
      const operation = "read the task status";
      const params = { path: { "task-id": handle.id } };
      const endpoint = (handle.endpoint ?? "creative") as FreepikEndpoint;
      const { value, raw, response } = await ctx.send("read", taskCall(operation), (signal) =>
        endpoint === "precision"
          ? client.GET("/v1/ai/image-upscaler-precision/{task-id}", { params, parseAs: "text", signal })
          : endpoint === "precision-v2"
            ? client.GET("/v1/ai/image-upscaler-precision-v2/{task-id}", {
                params,
                parseAs: "text",
                signal,
              })
            : client.GET("/v1/ai/image-upscaler/{task-id}", { params, parseAs: "text", signal }),
      );
      const retryAfter = response.headers.get("retry-after");
      return {
        ...taskStatus(value.data),
        raw,
        ...(retryAfter && /^\d+$/.test(retryAfter) ? { retryAfterMs: Number(retryAfter) * 1000 } : {}),
      };
    },

    async result(_ctx, _handle, status) {
      // Freepik states only URLs: the type is what the file name tells; the client fills in the rest.
      const images = (status.outputUrls ?? []).map((url) => {
        const format = formatFromName(url);
        return { url, ...(format ? { contentType: contentTypeOf[format] } : {}) };
      });
      return { images, raw: status.raw };
    },

    failure(status, handle) {
      return new TaskFailedError(
        `Failed to upscale on freepik: task ${handle.id} ended ${status.providerState ?? "FAILED"}. Try another image or settings, or another provider.`,
        { provider: "freepik", status: 200, body: status.raw, taskId: handle.id, errorType: "FAILED" },
      );
    },

    stalled(status, handle, now, options: FreepikUpscaleOptions) {
      const limit = options.providerOptions?.freepik?.createdStallMs ?? defaultCreatedStallMs;
      if (status.providerState !== "CREATED" || now - handle.createdAt < limit) return undefined;
      return new InsufficientCreditError(
        `Failed to run freepik task ${handle.id}: it stayed CREATED for ${formatMs(now - handle.createdAt)}, which Freepik does when the account is out of credit. Check the account's credit; if it has some, raise providerOptions.freepik.createdStallMs.`,
        { provider: "freepik", status: 200, body: status.raw },
      );
    },

    timeoutHint(state) {
      return state === "CREATED"
        ? "Freepik leaves tasks CREATED when the account is out of credit."
        : undefined;
    },
  };
}

/** A task object (status answer or webhook body) as the common status shape. */
export function taskStatus(task: TaskRead): Omit<OperationStatus, "raw"> {
  const { state, warning } = readState("freepik", stateOf, task.status);
  return {
    provider: "freepik",
    id: task.task_id,
    state,
    providerState: task.status,
    ...(warning ? { warning } : {}),
    ...(task.status === "COMPLETED" ? { outputUrls: task.generated ?? [] } : {}),
    ...(task.status === "FAILED" ? { error: { type: "FAILED", message: "The upscaling task failed." } } : {}),
  };
}

export const freepikModule: ProviderModule = {
  id: "freepik",
  envKey: freepikFacts.envKey,
  defaultBases: originsOf(freepikFacts, freepikFacts.clientHosts),
  apiHosts: [...freepikFacts.apiHosts],
  resultHosts: freepikFacts.resultHosts,
  authHeaders: (key) => ({ "x-freepik-api-key": key }),
  create: createFreepikAdapter,
};
